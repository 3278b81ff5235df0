"""Request and response shapes for programs, academic years and blocks."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from residency.core.calendar import WEEKDAYS, academic_year_of
from residency.core.settings import ProgramSettings, WeekdayName


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown IANA time zone '{name}'") from error
    return name


TimeZoneName = Annotated[str, Field(max_length=64), AfterValidator(_known_zone)]


class ProgramCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    timezone: TimeZoneName = "America/Chicago"
    block_weekday: WeekdayName = "thursday"
    academic_year: int = Field(
        default_factory=lambda: academic_year_of(date.today()),
        ge=2000,
        le=2100,
        description="start year of the first academic year (1 July); default: the current one",
    )
    settings: ProgramSettings = ProgramSettings()


class ProgramUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    timezone: TimeZoneName | None = None
    block_weekday: WeekdayName | None = None
    settings: ProgramSettings | None = None

    @field_validator("name", "timezone", "block_weekday", "settings")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value


class ProgramRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    timezone: str
    block_weekday: WeekdayName
    settings: ProgramSettings
    version: int
    created_at: datetime

    @field_validator("block_weekday", mode="before")
    @classmethod
    def _weekday_name(cls, value: object) -> object:
        return WEEKDAYS[value] if isinstance(value, int) else value


class AcademicYearCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start_year: int = Field(ge=2000, le=2100)


class AcademicYearRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    start_year: int
    start_date: date
    end_date: date


class BlockRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    academic_year_id: uuid.UUID
    number: int
    start_date: date
    end_date: date


class BlockFilters(BaseModel):
    academic_year_id: uuid.UUID | None = None
    number: int | None = None
    start_date_from: date | None = None
    start_date_to: date | None = None
