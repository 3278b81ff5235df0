"""Queries on activities."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import select

from residency.activities.models import Activity
from residency.repository_base import Repository


class ActivityRepository(Repository[Activity]):
    model = Activity
    label = "activity"
    default_order: ClassVar[tuple[str, ...]] = ("code",)

    async def by_code(self, program_id: uuid.UUID, code: str) -> Activity | None:
        stmt = select(Activity).where(Activity.program_id == program_id, Activity.code == code)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def codes(self, program_id: uuid.UUID) -> set[str]:
        stmt = select(Activity.code).where(Activity.program_id == program_id)
        return set((await self.session.execute(stmt)).scalars().all())

    async def all_for(self, program_id: uuid.UUID) -> Sequence[Activity]:
        stmt = self.scoped(program_id).order_by(Activity.code)
        return (await self.session.execute(stmt)).scalars().all()
