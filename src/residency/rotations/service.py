"""Rules for rotations: known activity codes, capacity order, unique names."""

from __future__ import annotations

from typing import Any

from residency.activities.repository import ActivityRepository
from residency.errors import Conflict, FieldError, InvalidInput
from residency.plan.models import RotationPlanEntry
from residency.rotations.models import Rotation
from residency.rotations.repository import RotationRepository
from residency.rotations.schemas import pattern_codes
from residency.service_base import ScopedService


class RotationService(ScopedService[Rotation]):
    repository_class = RotationRepository

    async def check(self, values: dict[str, Any], current: Rotation | None) -> None:
        await self._check_pattern_codes(values["weekly_pattern"], values.get("flex_activity"))
        if values["max_residents"] < values["min_residents"]:
            raise InvalidInput.field("max_residents", "must be at least min_residents")
        if any(not 1 <= pgy <= 8 for pgy in values["eligible_pgy"]):
            raise InvalidInput.field("eligible_pgy", "PGY levels run from 1 to 8")
        for other in await RotationRepository(self.session).named(
            self.program.id, values["name"], values["abbreviation"]
        ):
            if other is not current:
                raise Conflict(
                    f"rotation '{other.name}' ({other.abbreviation}) already exists",
                    rule="unique_rotation_name",
                )

    async def _check_pattern_codes(self, pattern: dict[str, Any], flex: str | None) -> None:
        known = await ActivityRepository(self.session).codes(self.program.id)
        cells = {f"weekly_pattern.{cell}": code for cell, code in pattern_codes(pattern).items()}
        if flex is not None:
            cells["flex_activity"] = flex
        unknown = [
            FieldError(field, f"unknown activity code '{code}'")
            for field, code in cells.items()
            if code not in known
        ]
        if unknown:
            raise InvalidInput("; ".join(f"{e.field}: {e.reason}" for e in unknown), errors=unknown)

    async def check_delete(self, row: Rotation) -> None:
        if await self.repository.exists(RotationPlanEntry.rotation_id == row.id):
            raise Conflict(f"rotation '{row.name}' is in the rotation plan", rule="rotation_in_use")
