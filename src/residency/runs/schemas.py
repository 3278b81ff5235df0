"""Request and response shapes for schedule runs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from residency.runs.models import RunStatus


class RunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: Literal["year"] | int = Field(
        "year", description='"year" (rotation plan and every block) or a block number 1-13'
    )
    academic_year: int | None = Field(
        None, ge=2000, le=2100, description="start year; default: the program's current year"
    )
    time_limit_s: float = Field(60.0, gt=0, le=3600)
    seed: int = Field(0, ge=0, le=2**31 - 1)

    def scope_text(self) -> str:
        return str(self.scope)


class RunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    scope: str
    academic_year: int
    time_limit_s: float
    seed: int
    status: RunStatus
    cancel_requested: bool
    phase: str | None
    progress: float
    objective: float | None
    bound: float | None
    gap: float | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    published_at: dt.datetime | None
    explanation: list[Any] | None
    error: str | None


class SlotChange(BaseModel):
    person: str
    date: dt.date
    session: str
    published: str | None
    draft: str | None


class RunDiff(BaseModel):
    added: int
    removed: int
    changed: int
    unchanged: int
    shifts_added: int
    shifts_removed: int
    draft_plan_entries: int
    changes: list[SlotChange]
