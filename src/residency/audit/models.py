"""Audit entries: who changed what, when, from what to what; chained by SHA-256.

Entries are never updated or deleted by the application (the mapper refuses it), and
they outlive the rows and programs they describe, so they hold no foreign keys.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, String, event
from sqlalchemy.orm import Mapped, mapped_column

from residency.models_base import Base


class AuditEntry(Base):
    """Entry `seq` of the chain: `hash` covers its fields and `prev_hash` (entry seq - 1)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(150))
    action: Mapped[str] = mapped_column(String(32))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    program_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _append_only(_mapper: Any, _connection: Any, entry: AuditEntry) -> None:
    raise PermissionError(f"audit entry {entry.seq} is append-only")
