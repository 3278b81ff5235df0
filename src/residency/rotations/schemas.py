"""Request and response shapes for rotations."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from residency.core.settings import WeekdayName

ABBREVIATION = r"^[A-Za-z0-9][A-Za-z0-9_+\-]{0,15}$"


class DayPattern(BaseModel):
    model_config = ConfigDict(extra="forbid")

    AM: str | None = None
    PM: str | None = None


WeeklyPattern = dict[WeekdayName, DayPattern]


class RotationFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    abbreviation: str = Field(pattern=ABBREVIATION)
    weekly_pattern: WeeklyPattern = Field(
        default_factory=dict, description="weekday -> {AM: activity code, PM: activity code}"
    )
    min_residents: int = Field(0, ge=0, le=99)
    max_residents: int = Field(99, ge=0, le=99)
    eligible_pgy: list[int] = Field(default_factory=lambda: [1, 2, 3], min_length=1)
    leave_allowed: bool = True
    protected_education_exempt: bool = False
    heavy: bool = Field(False, description="spread fairly across residents (e.g. FMIT, NF)")
    takes_call: bool = Field(False, description="residents on it take in-house call")
    flex_activity: str | None = Field(
        None, description="activity for empty weekday cells not used for continuity clinic"
    )


class RotationCreate(RotationFields):
    @model_validator(mode="after")
    def _capacity_ordered(self) -> RotationCreate:
        if self.max_residents < self.min_residents:
            raise ValueError("max_residents must be at least min_residents")
        return self


class RotationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=120)
    abbreviation: str | None = Field(None, pattern=ABBREVIATION)
    weekly_pattern: WeeklyPattern | None = None
    min_residents: int | None = Field(None, ge=0, le=99)
    max_residents: int | None = Field(None, ge=0, le=99)
    eligible_pgy: list[int] | None = Field(None, min_length=1)
    leave_allowed: bool | None = None
    protected_education_exempt: bool | None = None
    heavy: bool | None = None
    takes_call: bool | None = None
    flex_activity: str | None = None


class RotationRead(RotationFields):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: uuid.UUID
    version: int


class RotationFilters(BaseModel):
    abbreviation: str | None = None
    heavy: bool | None = None
    takes_call: bool | None = None
    flex_activity: str | None = None


def pattern_codes(pattern: dict[str, Any]) -> dict[str, str]:
    """`{"monday.AM": "C", …}` for every filled cell of a stored weekly pattern."""
    return {
        f"{day}.{session}": code
        for day, sessions in pattern.items()
        for session, code in (sessions or {}).items()
        if code
    }
