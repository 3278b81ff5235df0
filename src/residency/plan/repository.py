"""Queries on the rotation plan."""

from __future__ import annotations

import uuid
from typing import ClassVar

from sqlalchemy import select

from residency.plan.models import WHOLE_BLOCK, RotationPlanEntry
from residency.repository_base import Repository
from residency.rotations.models import Rotation


class RotationPlanRepository(Repository[RotationPlanEntry]):
    model = RotationPlanEntry
    label = "rotation plan entry"
    default_order: ClassVar[tuple[str, ...]] = ("block_id", "person_id", "half")

    async def for_blocks(self, block_ids: list[uuid.UUID]) -> list[RotationPlanEntry]:
        stmt = select(RotationPlanEntry).where(RotationPlanEntry.block_id.in_(block_ids))
        return list((await self.session.execute(stmt)).scalars().all())

    async def any_for_program(self, program_id: uuid.UUID) -> bool:
        return await self.exists(RotationPlanEntry.program_id == program_id)

    async def rotations_refusing_pgy(self, person_id: uuid.UUID, pgy: int | None) -> set[str]:
        """Names of the person's planned rotations that do not accept `pgy`."""
        stmt = (
            select(Rotation)
            .join(RotationPlanEntry, RotationPlanEntry.rotation_id == Rotation.id)
            .where(RotationPlanEntry.person_id == person_id)
        )
        rotations = (await self.session.execute(stmt)).scalars().unique().all()
        return {r.name for r in rotations if pgy not in (r.eligible_pgy or [])}

    async def overlapping(
        self, person_id: uuid.UUID, block_id: uuid.UUID, half: int, exclude: uuid.UUID | None
    ) -> RotationPlanEntry | None:
        """An entry for the same person and block that covers any of the same days."""
        stmt = select(RotationPlanEntry).where(
            RotationPlanEntry.person_id == person_id, RotationPlanEntry.block_id == block_id
        )
        if exclude is not None:
            stmt = stmt.where(RotationPlanEntry.id != exclude)
        for entry in (await self.session.execute(stmt)).scalars():
            if WHOLE_BLOCK in (entry.half, half) or entry.half == half:
                return entry
        return None
