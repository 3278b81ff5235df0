"""Response shapes of the compliance routes."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel


class ViolationOut(BaseModel):
    rule: str
    person: str
    severity: Literal["violation", "warning"]
    start: dt.datetime
    end: dt.datetime
    value: float
    limit: float
    message: str


class CheckResult(BaseModel):
    violations: list[ViolationOut]


class WeekOut(BaseModel):
    start: dt.date
    end: dt.date
    hours: float
    calls: int


class DayAverageOut(BaseModel):
    day: dt.date
    average_weekly_hours: float


class FreeDaysOut(BaseModel):
    start: dt.date
    end: dt.date
    free_days: int


class ResidentSummaryOut(BaseModel):
    person: str
    name: str
    pgy: int | None
    total_hours: float
    calls: int
    weeks: list[WeekOut]
    rolling_average: list[DayAverageOut]
    free_days: list[FreeDaysOut]


class ProgramCompliance(BaseModel):
    start: dt.date
    end: dt.date
    violations: list[ViolationOut]
    residents: list[ResidentSummaryOut]


def resident_out(summary: Any, name: str) -> ResidentSummaryOut:
    return ResidentSummaryOut(
        person=summary.person,
        name=name,
        pgy=summary.pgy,
        total_hours=summary.total_hours,
        calls=summary.calls,
        weeks=[WeekOut.model_validate(w, from_attributes=True) for w in summary.weeks],
        rolling_average=[
            DayAverageOut.model_validate(d, from_attributes=True) for d in summary.daily
        ],
        free_days=[FreeDaysOut.model_validate(f, from_attributes=True) for f in summary.free_days],
    )


class SlotOut(BaseModel):
    person: str
    date: dt.date
    session: str
    activity: str
    locked: bool


class ShiftOut(BaseModel):
    person: str
    kind: str
    start: dt.datetime
    end: dt.datetime


class BlockSchedule(BaseModel):
    """A block's published schedule in one response: what a grid or a workbook sheet shows."""

    block: int
    start_date: dt.date
    end_date: dt.date
    assignments: list[SlotOut]
    shifts: list[ShiftOut]
