"""A schedule generation run (DESIGN.md, "Jobs") and its draft result."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from residency.models_base import Base, ProgramScoped, str_enum, utcnow


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INFEASIBLE = "infeasible"


FINISHED = frozenset(
    {RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.INFEASIBLE}
)


class ScheduleRun(ProgramScoped, Base):
    """One solve: its scope and limits, live progress, timings, and the draft it produced.

    `base_schedule_version` is the program's published schedule version when the run
    started; publishing is refused once the published schedule has changed since.
    """

    __tablename__ = "schedule_runs"
    __table_args__ = (UniqueConstraint("program_id", "idempotency_key"),)

    scope: Mapped[str] = mapped_column(String(8))  # "year" or a block number
    academic_year: Mapped[int]
    time_limit_s: Mapped[float] = mapped_column(Float)
    seed: Mapped[int]
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus), default=RunStatus.QUEUED)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    phase: Mapped[str | None] = mapped_column(String(64))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    objective: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    base_schedule_version: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    explanation: Mapped[list[Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    draft: Mapped[dict[str, Any] | None] = deferred(mapped_column(JSON))
