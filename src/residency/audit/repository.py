"""Queries on the audit trail: the chain head (locked), appends, pages and batches."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import func, select, text

from residency.audit.chain import GENESIS
from residency.audit.models import AuditEntry
from residency.repository_base import Repository

# Any constant works: it names the one PostgreSQL advisory lock that orders appends.
_CHAIN_LOCK_KEY = 0x4155444954  # "AUDIT"


class AuditRepository(Repository[AuditEntry]):
    model = AuditEntry
    label = "audit entry"
    default_order: ClassVar[tuple[str, ...]] = ("seq",)

    async def lock_chain(self) -> None:
        """Serialize appenders until the transaction ends.

        PostgreSQL: a transaction-scoped advisory lock. SQLite: a writing unit of work
        already holds the database's single write lock (BEGIN IMMEDIATE).
        """
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY}
            )

    async def head(self) -> tuple[int, str]:
        """The last entry's (seq, hash), or (0, GENESIS) for an empty trail."""
        stmt = select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        row = (await self.session.execute(stmt)).first()
        return (int(row.seq), str(row.hash)) if row else (0, GENESIS)

    def append(self, entry: AuditEntry) -> None:
        """Add the entry to the unit of work; it is written with the mutation's flush."""
        self.session.add(entry)

    async def page_newest_first(
        self,
        program_id: uuid.UUID | None,
        filters: Mapping[str, Any],
        *,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[AuditEntry], int]:
        stmt = self.apply_filters(self.scoped(program_id), filters)
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        ordered = stmt.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset)
        rows = (await self.session.execute(ordered)).scalars().all()
        return rows, int(total or 0)

    async def recent_changes(
        self, program_id: uuid.UUID, entity_types: tuple[str, ...], since: datetime
    ) -> Sequence[AuditEntry]:
        """Updates and deletes of the given tables in a program since `since`, oldest first."""
        stmt = (
            select(AuditEntry)
            .where(
                AuditEntry.program_id == program_id,
                AuditEntry.entity_type.in_(entity_types),
                AuditEntry.action.in_(("update", "delete")),
                AuditEntry.at >= since,
            )
            .order_by(AuditEntry.seq)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def batch_after(self, seq: int, size: int) -> Sequence[AuditEntry]:
        """The next `size` entries after `seq`, in chain order."""
        stmt = select(AuditEntry).where(AuditEntry.seq > seq).order_by(AuditEntry.seq).limit(size)
        return (await self.session.execute(stmt)).scalars().all()
