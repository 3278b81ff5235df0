"""Writing the audit trail inside the mutation's own transaction, and verifying it.

Every service that changes rows calls `AuditTrail(session).record(...)` once per change;
the entry is flushed and committed by the same unit of work as the change, so a
rolled-back change leaves no entry and a committed one always has its entry.
The actor is whoever the request signed in as (`act_as`); jobs and loaders are "system".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from residency.audit.chain import ChainBreak, ChainVerifier, entry_hash
from residency.audit.models import AuditEntry
from residency.audit.repository import AuditRepository
from residency.models_base import utcnow

REDACTED_COLUMNS = frozenset({"password_hash", "token_hash"})
_ACTOR_KEY = "audit_actor"
_HEAD_KEY = "audit_head"
VERIFY_BATCH = 1000


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes the changes of a unit of work."""

    id: uuid.UUID | None
    name: str


SYSTEM = Actor(None, "system")


def act_as(session: AsyncSession, actor: Actor) -> None:
    """Attribute the session's changes to `actor` (set by the sign-in guard)."""
    session.info[_ACTOR_KEY] = actor


def actor_of(session: AsyncSession) -> Actor:
    return session.info.get(_ACTOR_KEY, SYSTEM)


def snapshot(row: Any) -> dict[str, Any]:
    """The row's loaded columns as JSON values, without secrets (hashes are redacted)."""
    state = inspect(row)
    return {
        attr.key: to_jsonable_python(getattr(row, attr.key))
        for attr in state.mapper.column_attrs
        if attr.key not in REDACTED_COLUMNS and attr.key not in state.unloaded
    }


class AuditTrail:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.entries = AuditRepository(session)

    async def record(
        self,
        action: str,
        row: Any,
        *,
        program_id: uuid.UUID | None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditEntry | None:
        """Append one entry for `action` on `row`; nothing when an update changed nothing."""
        if action == "update" and before == after:
            return None
        return await self.append(
            action,
            entity_type=row.__tablename__,
            entity_id=str(row.id),
            program_id=program_id,
            before=before,
            after=after,
        )

    async def append(
        self,
        action: str,
        *,
        entity_type: str,
        entity_id: str,
        program_id: uuid.UUID | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> AuditEntry:
        seq, prev_hash = await self._head()
        actor = actor_of(self.session)
        entry = AuditEntry(
            id=uuid.uuid4(),
            seq=seq + 1,
            at=utcnow(),
            actor_id=actor.id,
            actor=actor.name,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            program_id=program_id,
            before=before,
            after=after,
            prev_hash=prev_hash,
        )
        entry.hash = entry_hash(entry)
        self.entries.append(entry)
        self.session.info[_HEAD_KEY] = (self._transaction(), entry.seq, entry.hash)
        return entry

    async def _head(self) -> tuple[int, str]:
        """The chain head, locked for this transaction (read once, then kept in memory)."""
        cached = self.session.info.get(_HEAD_KEY)
        if cached is not None and cached[0] is self._transaction():
            return cached[1], cached[2]
        await self.entries.lock_chain()
        return await self.entries.head()

    def _transaction(self) -> object:
        return self.session.sync_session.get_transaction()


async def verify_chain(session: AsyncSession) -> tuple[int, ChainBreak | None]:
    """Recompute the whole chain: (entries checked, the first broken link or None)."""
    verifier = ChainVerifier()
    repository = AuditRepository(session)
    last = 0
    while batch := await repository.batch_after(last, VERIFY_BATCH):
        if not verifier.feed(batch):
            break
        last = batch[-1].seq
    return verifier.count, verifier.first_break
