"""Programs, their academic years and blocks (DESIGN.md, "Time model")."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from residency.models_base import Base, ProgramScoped, Versioned, str_enum, utcnow


class ClinicLevel(enum.StrEnum):
    """A day's operating level (`clinic_capacity`: reduced x 0.25, closed x 0)."""

    CLOSED = "closed"
    REDUCED = "reduced"


class Program(Versioned, Base):
    """One residency program; every other row belongs to one."""

    __tablename__ = "programs"
    __table_args__ = (CheckConstraint("block_weekday BETWEEN 0 AND 6", name="block_weekday_range"),)

    name: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    block_weekday: Mapped[int] = mapped_column(SmallInteger, default=3)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    schedule_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AcademicYear(ProgramScoped, Base):
    """1 July to 30 June; its blocks are generated from the program settings."""

    __tablename__ = "academic_years"
    __table_args__ = (UniqueConstraint("program_id", "start_year"),)

    start_year: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date]


class Block(ProgramScoped, Base):
    """A block of the academic year: 0 is orientation, 1-13 are 28-day blocks."""

    __tablename__ = "blocks"
    __table_args__ = (
        UniqueConstraint("academic_year_id", "number"),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
    )

    academic_year_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("academic_years.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(SmallInteger)
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date]


class Holiday(ProgramScoped, Versioned, Base):
    """A holiday or reduced day: clinic capacity scales with its operating level."""

    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("program_id", "date"),)

    date: Mapped[date]
    name: Mapped[str] = mapped_column(String(120))
    clinic_level: Mapped[ClinicLevel] = mapped_column(str_enum(ClinicLevel))
