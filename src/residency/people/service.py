"""Rules for people: role fields, unique names, PGY changes against the plan."""

from __future__ import annotations

from typing import Any

from residency.errors import Conflict, FieldError, InvalidInput
from residency.people.models import Person
from residency.people.repository import PersonRepository
from residency.people.schemas import role_field_problems
from residency.plan.repository import RotationPlanRepository
from residency.service_base import ScopedService


class PersonService(ScopedService[Person]):
    repository_class = PersonRepository
    owner_field = "id"  # a resident or faculty member sees their own record

    async def check(self, values: dict[str, Any], current: Person | None) -> None:
        problems = role_field_problems(values)
        if problems:
            raise InvalidInput(
                "; ".join(problems),
                errors=[FieldError(*problem.split(": ", 1)) for problem in problems],
            )
        same_name = await PersonRepository(self.session).by_name(self.program.id, values["name"])
        if same_name is not None and same_name is not current:
            raise Conflict(
                f"the program already has a person named '{values['name']}'",
                rule="unique_person_name",
            )
        if current is not None and values.get("pgy") != current.pgy:
            await self._check_plan_still_eligible(current, values.get("pgy"))

    async def _check_plan_still_eligible(self, person: Person, pgy: int | None) -> None:
        """`rotation_pgy_eligibility`: a PGY change must not strand planned rotations."""
        stranded = await RotationPlanRepository(self.session).rotations_refusing_pgy(person.id, pgy)
        if stranded:
            raise Conflict(
                f"PGY {pgy} is not accepted by rotation(s) already planned: "
                + ", ".join(sorted(stranded)),
                rule="rotation_pgy_eligibility",
            )
