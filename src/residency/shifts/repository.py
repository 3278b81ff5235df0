"""Queries on shifts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from sqlalchemy import select

from residency.repository_base import Repository
from residency.shifts.models import Shift


class ShiftRepository(Repository[Shift]):
    model = Shift
    label = "shift"
    default_order: ClassVar[tuple[str, ...]] = ("start_at", "person_id")

    async def overlapping(
        self,
        person_id: uuid.UUID,
        start: datetime,
        end: datetime,
        exclude: uuid.UUID | None,
        kinds: tuple[str, ...],
    ) -> Shift | None:
        stmt = select(Shift).where(
            Shift.person_id == person_id,
            Shift.kind.in_(kinds),
            Shift.start_at < end,
            Shift.end_at > start,
        )
        if exclude is not None:
            stmt = stmt.where(Shift.id != exclude)
        return (await self.session.execute(stmt.limit(1))).scalar_one_or_none()
