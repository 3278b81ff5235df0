"""Request and response shapes of leave decisions and coverage."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from residency.absences.schemas import AbsenceRead
from residency.core.calendar import Session
from residency.swaps.schemas import FindingOut, RowChangeOut, Validation


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LeaveApproval(Strict):
    override_reason: str | None = Field(
        None,
        min_length=1,
        max_length=500,
        description="needed when the leave falls on a rotation that does not allow leave",
    )


class LeaveDenial(Strict):
    reason: str | None = Field(None, max_length=500)


class CandidateOut(BaseModel):
    person_id: str
    name: str
    recent_duties: int = Field(description="duties of this kind in the 28 days before")
    days_since_last: int | None = Field(description="days since the last one (None: none)")


class GapOut(BaseModel):
    kind: Literal["supervision", "faculty_call", "resident_call", "fmit"]
    date: dt.date = Field(description="the slot's date, the night, or the FMIT week's Friday")
    session: Session | None
    required: int
    scheduled: int
    message: str
    days: list[dt.date] = Field(default_factory=list, description="FMIT: the uncovered days")
    candidates: list[CandidateOut] = Field(
        description="free, compliant once they take it, least recent burden first"
    )


class AwayDays(BaseModel):
    """`away_days`: days away this academic year (warn at 21, flag at 28 by default)."""

    days: int
    warn_at: int
    flag_at: int
    level: Literal["ok", "warning", "flag"]
    message: str


class Coverage(BaseModel):
    absence: AbsenceRead
    gaps: list[GapOut]
    away_days: AwayDays


class LeaveDecision(Coverage):
    """The approved absence, the rows it released and created, the gaps it leaves."""

    changes: list[RowChangeOut]
    violations: list[FindingOut]


class CoveragePick(Strict):
    gap: Literal["supervision", "faculty_call", "resident_call", "fmit"]
    date: dt.date = Field(description="the slot's date, the night, or the FMIT week's Friday")
    session: Session | None = Field(None, description="supervision gaps: AM or PM")
    person_id: uuid.UUID
    activity_id: uuid.UUID | None = Field(
        None, description="supervision: the precepting activity (default: the program's one)"
    )
    reason: str | None = Field(None, max_length=500, description="inside the freeze window")


class CoverageResult(BaseModel):
    validation: Validation
    change: RowChangeOut
