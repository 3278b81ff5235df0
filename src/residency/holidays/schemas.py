"""Request and response shapes for holidays."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from residency.programs.models import ClinicLevel


class HolidayCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: dt.date
    name: str = Field(min_length=1, max_length=120)
    clinic_level: ClinicLevel = ClinicLevel.CLOSED


class HolidayUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: dt.date | None = None
    name: str | None = Field(None, min_length=1, max_length=120)
    clinic_level: ClinicLevel | None = None


class HolidayRead(HolidayCreate):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: uuid.UUID
    version: int


class HolidayFilters(BaseModel):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
