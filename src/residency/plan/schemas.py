"""Request and response shapes for the rotation plan."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from residency.plan.models import EntrySource


class PlanEntryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID
    block_id: uuid.UUID
    half: int = Field(0, ge=0, le=2, description="0 = whole block, 1 or 2 = its halves")
    rotation_id: uuid.UUID
    source: EntrySource = EntrySource.MANUAL
    locked: bool = False


class PlanEntryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rotation_id: uuid.UUID | None = None
    half: int | None = Field(None, ge=0, le=2)
    locked: bool | None = None


class PlanEntryRead(PlanEntryCreate):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: uuid.UUID
    version: int


class PlanFilters(BaseModel):
    person_id: uuid.UUID | None = None
    block_id: uuid.UUID | None = None
    rotation_id: uuid.UUID | None = None
