"""The calendar feed token of a person, stored as its SHA-256 digest only."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from residency.models_base import Base, ProgramScoped, utcnow


class CalendarToken(ProgramScoped, Base):
    """A person's one feed token; regenerating replaces it, which revokes the old one."""

    __tablename__ = "calendar_tokens"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
