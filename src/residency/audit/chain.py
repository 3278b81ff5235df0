"""The hash chain of the audit trail (pure: no I/O).

Entry n stores `prev_hash` = hash of entry n-1 (entry 1 stores `GENESIS`) and `hash` =
SHA-256 of its own fields in canonical JSON. Changing, removing or reordering any entry
breaks the link at that entry, or at the one after it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

GENESIS = "0" * 64


class Chained(Protocol):
    """The fields an entry is hashed over (an `AuditEntry` row satisfies this)."""

    id: uuid.UUID
    seq: int
    at: datetime
    actor_id: uuid.UUID | None
    actor: str
    action: str
    entity_type: str
    entity_id: str
    program_id: uuid.UUID | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


def entry_hash(entry: Chained) -> str:
    """SHA-256 (hex) of the entry's fields and its `prev_hash`, in canonical JSON."""
    fields = {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": str(entry.actor_id) if entry.actor_id else None,
        "actor": entry.actor,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": entry.entity_id,
        "program_id": str(entry.program_id) if entry.program_id else None,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first entry whose link does not hold, and why."""

    seq: int
    entry_id: uuid.UUID | None
    reason: str

    def message(self) -> str:
        return f"audit chain broken at entry {self.seq} (id {self.entry_id}): {self.reason}"


class ChainVerifier:
    """Feed entries in `seq` order; `first_break` is set at the first broken link."""

    def __init__(self) -> None:
        self.count = 0
        self.head = GENESIS
        self.first_break: ChainBreak | None = None

    def feed(self, entries: Iterable[Chained]) -> bool:
        """Check the next entries; False once the chain is broken."""
        for entry in entries:
            reason = self._problem(entry)
            if reason is not None:
                self.first_break = ChainBreak(entry.seq, entry.id, reason)
                return False
            self.count += 1
            self.head = entry.hash
        return True

    def _problem(self, entry: Chained) -> str | None:
        expected = self.count + 1
        if entry.seq != expected:
            return f"entry {expected} is missing (found {entry.seq} next)"
        if entry.prev_hash != self.head:
            return "prev_hash does not match the previous entry's hash"
        if entry_hash(entry) != entry.hash:
            return "hash does not match the entry's contents (the entry was modified)"
        return None
