"""The activity catalogue: what a person does in a slot."""

from __future__ import annotations

from datetime import time

from sqlalchemy import String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from residency.activities.kinds import ActivityCategory
from residency.models_base import Base, ProgramScoped, Versioned, str_enum


class Activity(ProgramScoped, Versioned, Base):
    """A code (C, AT, LEC, FMIT, NF, CALL, PC, LV, OFF, HOL…) with its times and duty rules.

    Session times left empty fall back to the program's AM/PM session times; an end
    at or before the start means the activity runs past midnight.
    """

    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("program_id", "code"),)

    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[ActivityCategory] = mapped_column(str_enum(ActivityCategory))
    am_start: Mapped[time | None] = mapped_column(Time)
    am_end: Mapped[time | None] = mapped_column(Time)
    pm_start: Mapped[time | None] = mapped_column(Time)
    pm_end: Mapped[time | None] = mapped_column(Time)
    counts_toward_hours: Mapped[bool] = mapped_column(default=True)
    needs_supervision: Mapped[bool] = mapped_column(default=False)
    provides_supervision: Mapped[bool] = mapped_column(default=False)
    sees_patients: Mapped[bool] = mapped_column(default=False)
    procedures: Mapped[bool] = mapped_column(default=False)
    color: Mapped[str] = mapped_column(String(7), default="#cccccc")
