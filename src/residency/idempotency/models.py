"""The first answer to each Idempotency-Key of a program."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from residency.models_base import Base, ProgramScoped, utcnow


class IdempotencyRecord(ProgramScoped, Base):
    """Key `key` was first used for `action` on `target`, and was answered `response`."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("program_id", "key"),)

    key: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    status_code: Mapped[int]
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
