"""Absences: leave requests and their status."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from residency.models_base import Base, ProgramScoped, Versioned, str_enum


class AbsenceKind(enum.StrEnum):
    VACATION = "vacation"
    SICK = "sick"
    CONFERENCE = "conference"
    PARENTAL = "parental"
    MEDICAL = "medical"
    BEREAVEMENT = "bereavement"
    OTHER = "other"


class AbsenceStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DENIED = "denied"
    CANCELLED = "cancelled"


class Absence(ProgramScoped, Versioned, Base):
    """Leave over the inclusive local dates `start_date`..`end_date`."""

    __tablename__ = "absences"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="dates_ordered"),)

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AbsenceKind] = mapped_column(str_enum(AbsenceKind))
    start_date: Mapped[date]
    end_date: Mapped[date]
    status: Mapped[AbsenceStatus] = mapped_column(
        str_enum(AbsenceStatus), default=AbsenceStatus.REQUESTED
    )
    reason: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(String(500))
