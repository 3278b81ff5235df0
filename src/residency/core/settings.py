"""Program settings: session times, duty-hour numbers and program rules (ACGME.md).

Every number is a program setting whose default is the one ACGME.md gives; a program
may tighten any of them. Stored as JSON on the program row and embedded in program files.
"""

from __future__ import annotations

from datetime import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from residency.compliance.settings import RuleSettings
from residency.core.calendar import WEEKDAYS
from residency.people.kinds import FacultyRole

WeekdayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionTimes(StrictModel):
    """Default wall-clock times of the AM and PM sessions."""

    am_start: time = time(8, 0)
    am_end: time = time(12, 0)
    pm_start: time = time(13, 0)
    pm_end: time = time(17, 0)

    @model_validator(mode="after")
    def _ordered(self) -> SessionTimes:
        if not self.am_start < self.am_end <= self.pm_start < self.pm_end:
            raise ValueError("sessions must satisfy am_start < am_end <= pm_start < pm_end")
        return self


class SupervisionRules(StrictModel):
    """`supervision_ratio`: supervisors >= ceil(units / units_per_supervisor)."""

    pgy1_units: int = Field(2, ge=1)
    senior_units: int = Field(1, ge=1)
    procedure_units: int = Field(4, ge=1)
    units_per_supervisor: int = Field(4, ge=1)


class ProtectedEducation(StrictModel):
    """`protected_education`: the weekly didactics session kept free of clinical work."""

    enabled: bool = True
    weekday: WeekdayName = "wednesday"
    session: Literal["AM", "PM"] = "PM"


class SwapPolicy(StrictModel):
    """How schedule changes after publication are governed."""

    approval_required: bool = True
    rollback_window_hours: float = Field(24, ge=0)
    freeze_window_days: int = Field(7, ge=0)


class ObjectiveWeights(StrictModel):
    """Weights of the solver's objective: fairness, continuity and preferences."""

    call_balance: int = Field(10, ge=0)
    weekend_balance: int = Field(5, ge=0)
    holiday_balance: int = Field(5, ge=0)
    fmit_balance: int = Field(10, ge=0)
    continuity: int = Field(3, ge=0)
    preferences: int = Field(2, ge=0)


class ProgramSettings(StrictModel):
    """Everything a program can tune, with ACGME.md's defaults."""

    sessions: SessionTimes = SessionTimes()
    duty_hours: RuleSettings = RuleSettings()
    supervision: SupervisionRules = SupervisionRules()
    protected_education: ProtectedEducation = ProtectedEducation()
    clinic_rooms: int = Field(6, ge=0, description="`clinic_capacity` on a normal day")
    reduced_day_capacity_factor: float = Field(0.25, ge=0, le=1)
    covered_call_nights: list[WeekdayName] = Field(
        default_factory=lambda: ["sunday", "monday", "tuesday", "wednesday", "thursday"],
        description="`faculty_call_coverage`: nights with exactly one faculty on call",
    )
    resident_call_nights: list[WeekdayName] = Field(
        default_factory=lambda: ["friday", "saturday"],
        description="nights with one resident on 24-h in-house call (night float covers the rest)",
    )
    continuity_clinic_per_week: dict[int, int] = Field(
        default_factory=lambda: {1: 1, 2: 2, 3: 3},
        description="continuity clinic half-days a week by PGY (solver target)",
    )
    fmit_faculty_roles: list[FacultyRole] = Field(
        default_factory=lambda: [
            FacultyRole.CORE,
            FacultyRole.APD,
            FacultyRole.OIC,
            FacultyRole.SPORTS_MED,
            FacultyRole.DEPT_CHIEF,
            FacultyRole.PD,
        ],
        description="faculty roles that attend FMIT weeks",
    )
    fmit_weeks_per_faculty: int = Field(6, ge=0)
    away_days_warn: int = Field(21, ge=0)
    away_days_flag: int = Field(28, ge=0)
    swaps: SwapPolicy = SwapPolicy()
    objective: ObjectiveWeights = ObjectiveWeights()

    @model_validator(mode="after")
    def _covered_nights_unique(self) -> ProgramSettings:
        if len(set(self.covered_call_nights)) != len(self.covered_call_nights):
            raise ValueError("covered_call_nights must not repeat a weekday")
        return self


def weekday_index(name: WeekdayName) -> int:
    return WEEKDAYS.index(name)
