"""Rules for the rotation plan: residents only, PGY eligibility, one rotation per block."""

from __future__ import annotations

from typing import Any

from residency.errors import Conflict
from residency.people.kinds import PersonRole
from residency.people.models import Person
from residency.plan.models import RotationPlanEntry
from residency.plan.repository import RotationPlanRepository
from residency.programs.models import Block
from residency.rotations.models import Rotation
from residency.service_base import ScopedService, require_in_program


class RotationPlanService(ScopedService[RotationPlanEntry]):
    repository_class = RotationPlanRepository
    changes_schedule = True

    async def check(self, values: dict[str, Any], current: RotationPlanEntry | None) -> None:
        program_id = self.program.id
        person: Person = await require_in_program(
            self.session, Person, values["person_id"], program_id, "person_id"
        )
        await require_in_program(self.session, Block, values["block_id"], program_id, "block_id")
        rotation: Rotation = await require_in_program(
            self.session, Rotation, values["rotation_id"], program_id, "rotation_id"
        )
        if person.role is not PersonRole.RESIDENT:
            raise Conflict(
                f"{person.name} is not a resident; only residents have rotations",
                rule="plan_requires_resident",
            )
        if person.pgy not in rotation.eligible_pgy:
            raise Conflict(
                f"{rotation.name} accepts PGY {rotation.eligible_pgy}, "
                f"but {person.name} is PGY-{person.pgy}",
                rule="rotation_pgy_eligibility",
            )
        clash = await RotationPlanRepository(self.session).overlapping(
            person.id, values["block_id"], values["half"], current.id if current else None
        )
        if clash is not None:
            raise Conflict(
                f"{person.name} already has a rotation for that block",
                rule="one_rotation_per_block",
                conflicting_id=str(clash.id),
            )
