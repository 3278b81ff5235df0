"""Request and response shapes for absences."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from residency.absences.models import AbsenceKind, AbsenceStatus


class AbsenceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID
    kind: AbsenceKind
    start_date: date
    end_date: date
    status: AbsenceStatus = AbsenceStatus.REQUESTED
    reason: str | None = Field(None, max_length=2000)
    override_reason: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _ordered(self) -> AbsenceCreate:
        if self.end_date < self.start_date:
            raise ValueError("end_date must be on or after start_date")
        return self


class AbsenceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AbsenceKind | None = None
    start_date: date | None = None
    end_date: date | None = None
    status: AbsenceStatus | None = None
    reason: str | None = Field(None, max_length=2000)
    override_reason: str | None = Field(None, max_length=500)


class AbsenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    person_id: uuid.UUID
    kind: AbsenceKind
    start_date: date
    end_date: date
    status: AbsenceStatus
    reason: str | None
    override_reason: str | None
    version: int


class AbsenceFilters(BaseModel):
    person_id: uuid.UUID | None = None
    status: AbsenceStatus | None = None
    kind: AbsenceKind | None = None
    start_date_from: date | None = None
    start_date_to: date | None = None
