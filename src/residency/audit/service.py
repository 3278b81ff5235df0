"""Writing the audit trail inside the mutation's own transaction, and verifying it.

Every service that changes rows calls `AuditTrail(session).record(...)` once per change;
the entry is committed by the same unit of work as the change, so a rolled-back change
leaves no entry and a committed one always has its entry.
The actor is whoever the request signed in as (`act_as`); jobs and loaders are "system".

The chain is one sequence for the whole database, so appending to it serializes every
writer. Entries therefore wait in the session until the unit of work's last step
(`seal`, run just before COMMIT): flush the change itself, then bump the schedule
versions of the programs whose published schedule changed (`note_schedule_change`),
then lock the chain, read its head, link and insert the entries, and commit. The
program rows and the chain lock are held for those few statements only (always in
that order: program rows, then the chain), not for the whole request.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncSession

from residency.audit.chain import ChainBreak, ChainVerifier, entry_hash
from residency.audit.models import AuditEntry
from residency.audit.repository import AuditRepository
from residency.db import before_commit
from residency.models_base import utcnow
from residency.programs.repository import ProgramRepository

REDACTED_COLUMNS = frozenset({"password_hash", "token_hash"})
_ACTOR_KEY = "audit_actor"
_PENDING_KEY = "audit_pending"
_CHANGED_PROGRAMS_KEY = "schedule_changed_programs"
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
        actor = actor_of(self.session)
        entry = AuditEntry(  # `at`, `seq` and the hashes are set when sealed
            id=uuid.uuid4(),
            actor_id=actor.id,
            actor=actor.name,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            program_id=program_id,
            before=before,
            after=after,
        )
        self.session.info.setdefault(_PENDING_KEY, []).append(entry)
        before_commit(self.session, seal)
        return entry


def note_schedule_change(session: AsyncSession, program_id: uuid.UUID) -> None:
    """Bump the program's schedule version when this unit of work commits (`seal`)."""
    session.info.setdefault(_CHANGED_PROGRAMS_KEY, set()).add(program_id)
    before_commit(session, seal)


async def seal(session: AsyncSession) -> None:
    """The unit of work's last step before COMMIT (see the module doc)."""
    entries: list[AuditEntry] = session.info.pop(_PENDING_KEY, [])
    programs: set[uuid.UUID] = session.info.pop(_CHANGED_PROGRAMS_KEY, set())
    await session.flush()
    for program_id in sorted(programs):
        await ProgramRepository(session).bump_schedule_version(program_id)
    if not entries:
        return
    chain = AuditRepository(session)
    await chain.lock_chain()
    seq, prev_hash = await chain.head()
    at = utcnow()  # in chain order: the moment the entries join the chain
    for entry in entries:
        seq += 1
        entry.at, entry.seq, entry.prev_hash = at, seq, prev_hash
        entry.hash = prev_hash = entry_hash(entry)
        chain.append(entry)
    await session.flush()


@event.listens_for(AsyncSession.sync_session_class, "before_commit")
def _refuse_unsealed(session: Any) -> None:
    """A commit outside `db.unit_of_work` would drop the waiting entries: refuse it."""
    if session.info.get(_PENDING_KEY):
        raise RuntimeError("audit entries are waiting: commit through db.unit_of_work")


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
