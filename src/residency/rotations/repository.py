"""Queries on rotations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import or_

from residency.repository_base import Repository
from residency.rotations.models import Rotation
from residency.rotations.schemas import pattern_codes


class RotationRepository(Repository[Rotation]):
    model = Rotation
    label = "rotation"
    default_order: ClassVar[tuple[str, ...]] = ("name",)

    async def named(
        self, program_id: uuid.UUID, name: str, abbreviation: str
    ) -> Sequence[Rotation]:
        stmt = self.scoped(program_id).where(
            or_(Rotation.name == name, Rotation.abbreviation == abbreviation)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def all_for(self, program_id: uuid.UUID) -> Sequence[Rotation]:
        stmt = self.scoped(program_id).order_by(Rotation.name)
        return (await self.session.execute(stmt)).scalars().all()

    async def using_activity(self, program_id: uuid.UUID, code: str) -> list[str]:
        """Names of rotations whose weekly pattern mentions activity `code`."""
        return [
            rotation.name
            for rotation in await self.all_for(program_id)
            if code in pattern_codes(rotation.weekly_pattern).values()
        ]
