"""Request and response shapes for shifts."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    ValidationInfo,
    field_validator,
    model_validator,
)

from residency.plan.models import EntrySource
from residency.shifts.models import ShiftKind


class ShiftCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID
    kind: ShiftKind
    start_at: AwareDatetime
    end_at: AwareDatetime
    source: EntrySource = EntrySource.MANUAL
    locked: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> ShiftCreate:
        if self.end_at <= self.start_at:
            raise ValueError("end_at must be after start_at")
        return self


class ShiftUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID | None = None
    start_at: AwareDatetime | None = None
    end_at: AwareDatetime | None = None
    locked: bool | None = None


class ShiftRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    person_id: uuid.UUID
    kind: ShiftKind
    date: dt.date
    start_at: dt.datetime
    end_at: dt.datetime
    source: EntrySource
    locked: bool
    version: int

    @field_validator("start_at", "end_at")
    @classmethod
    def _in_program_zone(cls, value: dt.datetime, info: ValidationInfo) -> dt.datetime:
        zone = (info.context or {}).get("timezone")
        return value.astimezone(ZoneInfo(zone)) if zone else value


class ShiftFilters(BaseModel):
    person_id: uuid.UUID | None = None
    kind: ShiftKind | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
