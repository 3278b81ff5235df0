"""Rotations: what a resident does for a block or half-block."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from residency.models_base import Base, ProgramScoped, Versioned


class Rotation(ProgramScoped, Versioned, Base):
    """A weekly pattern of activities with a per-block capacity and PGY eligibility.

    `weekly_pattern` maps a weekday name to `{"AM": code, "PM": code}`. An empty cell on
    a weekday is flexible: the solver puts continuity clinic there, up to the resident's
    weekly target, and `flex_activity` otherwise. Residents on a rotation that
    `takes_call` share the program's in-house call nights.
    """

    __tablename__ = "rotations"
    __table_args__ = (
        UniqueConstraint("program_id", "name"),
        UniqueConstraint("program_id", "abbreviation"),
        CheckConstraint("min_residents >= 0", name="min_nonnegative"),
        CheckConstraint("max_residents >= min_residents", name="capacity_ordered"),
    )

    name: Mapped[str] = mapped_column(String(120))
    abbreviation: Mapped[str] = mapped_column(String(16))
    weekly_pattern: Mapped[dict[str, Any]] = mapped_column(default=dict)
    min_residents: Mapped[int] = mapped_column(SmallInteger, default=0)
    max_residents: Mapped[int] = mapped_column(SmallInteger, default=99)
    eligible_pgy: Mapped[list[int]] = mapped_column(default=list)
    leave_allowed: Mapped[bool] = mapped_column(default=True)
    protected_education_exempt: Mapped[bool] = mapped_column(default=False)
    heavy: Mapped[bool] = mapped_column(default=False)
    takes_call: Mapped[bool] = mapped_column(default=False)
    flex_activity: Mapped[str | None] = mapped_column(String(16))
