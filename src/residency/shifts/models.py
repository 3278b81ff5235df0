"""Timed duties: in-house call, night float nights, faculty call and FMIT weeks."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from residency.models_base import Base, ProgramScoped, Versioned, str_enum
from residency.plan.models import EntrySource


class ShiftKind(enum.StrEnum):
    CALL = "call"  # resident 24-h in-house call
    NIGHT_FLOAT = "night_float"  # one night-float night
    FACULTY_CALL = "faculty_call"  # faculty overnight (home) call
    FMIT_WEEK = "fmit_week"  # faculty inpatient week, Friday to Thursday


class Shift(ProgramScoped, Versioned, Base):
    """A timed duty `[start_at, end_at)` in UTC; `date` is its local start date."""

    __tablename__ = "shifts"
    __table_args__ = (
        UniqueConstraint("person_id", "kind", "date"),
        CheckConstraint("end_at > start_at", name="end_after_start"),
        Index("ix_shifts_program_date", "program_id", "date"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[ShiftKind] = mapped_column(str_enum(ShiftKind))
    date: Mapped[date]
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    source: Mapped[EntrySource] = mapped_column(str_enum(EntrySource), default=EntrySource.MANUAL)
    locked: Mapped[bool] = mapped_column(default=False)
