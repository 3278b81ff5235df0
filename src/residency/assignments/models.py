"""Slot assignments: person x date x AM/PM → activity."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from residency.core.calendar import Session
from residency.models_base import Base, ProgramScoped, Versioned, str_enum
from residency.plan.models import EntrySource

ONE_ACTIVITY_PER_SLOT = "uq_assignments_person_id_date_session"


class Assignment(ProgramScoped, Versioned, Base):
    """One activity in one slot; the database allows one per person per slot."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("person_id", "date", "session", name=ONE_ACTIVITY_PER_SLOT),
        Index("ix_assignments_program_date", "program_id", "date"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    date: Mapped[date]
    session: Mapped[Session] = mapped_column(str_enum(Session))
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activities.id"), index=True)
    source: Mapped[EntrySource] = mapped_column(str_enum(EntrySource), default=EntrySource.MANUAL)
    locked: Mapped[bool] = mapped_column(default=False)
