"""Request and response shapes for slot assignments."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict

from residency.core.calendar import Session
from residency.plan.models import EntrySource


class AssignmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID
    date: dt.date
    session: Session
    activity_id: uuid.UUID
    source: EntrySource = EntrySource.MANUAL
    locked: bool = False


class AssignmentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID | None = None
    date: dt.date | None = None
    session: Session | None = None
    activity_id: uuid.UUID | None = None
    locked: bool | None = None


class AssignmentRead(AssignmentCreate):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: uuid.UUID
    version: int


class AssignmentFilters(BaseModel):
    person_id: uuid.UUID | None = None
    activity_id: uuid.UUID | None = None
    session: Session | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    locked: bool | None = None
