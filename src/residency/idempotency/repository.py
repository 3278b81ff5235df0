"""Queries on idempotency records."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from residency.idempotency.models import IdempotencyRecord
from residency.repository_base import Repository


class IdempotencyRepository(Repository[IdempotencyRecord]):
    model = IdempotencyRecord
    label = "idempotency key"

    async def find(self, program_id: uuid.UUID, key: str) -> IdempotencyRecord | None:
        stmt = select(IdempotencyRecord).where(
            IdempotencyRecord.program_id == program_id, IdempotencyRecord.key == key
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()
