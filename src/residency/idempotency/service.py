"""Replay the first answer to an Idempotency-Key, or remember the answer of a new one.

The caller looks the key up *after* taking the locks that serialize the action (the
swap row, the people involved): a concurrent request with the same key then waits for
the first one to commit and finds its answer. A request that fails stores nothing (its
unit of work rolls back), so retrying a refused request runs it again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from residency.errors import Conflict, InvalidInput
from residency.idempotency.models import IdempotencyRecord
from residency.idempotency.repository import IdempotencyRepository

MAX_KEY_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Replay:
    """The stored first answer."""

    status_code: int
    body: dict[str, Any]


class Idempotency:
    def __init__(self, session: AsyncSession, program_id: uuid.UUID, key: str | None) -> None:
        if key is not None and not (0 < len(key.strip()) <= MAX_KEY_LENGTH):
            raise InvalidInput.field("Idempotency-Key", f"1 to {MAX_KEY_LENGTH} characters")
        self.session = session
        self.program_id = program_id
        self.key = key.strip() if key is not None else None
        self.records = IdempotencyRepository(session)

    async def replay(self, action: str, target: str) -> Replay | None:
        """The first answer to this key, or None when the key is new (or absent).

        409 `idempotency_key_reused` when the key was used for another action or target.
        """
        if self.key is None:
            return None
        record = await self.records.find(self.program_id, self.key)
        if record is None:
            return None
        if (record.action, record.target) != (action, target):
            raise Conflict(
                "this Idempotency-Key was used for a different request",
                rule="idempotency_key_reused",
                first_action=record.action,
                first_target=record.target,
            )
        return Replay(record.status_code, record.response)

    async def remember(self, action: str, target: str, status_code: int, body: Any) -> None:
        if self.key is None:
            return
        record = IdempotencyRecord(
            program_id=self.program_id,
            key=self.key,
            action=action,
            target=target,
            status_code=status_code,
            response=body,
        )
        await self.records.add(record)
