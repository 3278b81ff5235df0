"""Rules for slot assignments: one activity per slot, inside the year, not on leave."""

from __future__ import annotations

from typing import Any

from residency.absences.repository import AbsenceRepository
from residency.activities.kinds import ActivityCategory
from residency.activities.models import Activity
from residency.assignments.models import Assignment
from residency.assignments.repository import AssignmentRepository
from residency.errors import Conflict
from residency.people.models import Person
from residency.service_base import ScopedService, require_in_program, require_inside_academic_year


class AssignmentService(ScopedService[Assignment]):
    repository_class = AssignmentRepository
    changes_schedule = True

    async def check(self, values: dict[str, Any], current: Assignment | None) -> None:
        program_id = self.program.id
        person: Person = await require_in_program(
            self.session, Person, values["person_id"], program_id, "person_id"
        )
        activity: Activity = await require_in_program(
            self.session, Activity, values["activity_id"], program_id, "activity_id"
        )
        day, session = values["date"], values["session"]
        await require_inside_academic_year(self.session, program_id, day, "date")
        holder = await AssignmentRepository(self.session).in_slot(person.id, day, session)
        if holder is not None and holder is not current:
            raise Conflict(
                f"{person.name} already has an activity on {day.isoformat()} {session}",
                rule="one_activity_per_slot",
                conflicting_id=str(holder.id),
            )
        if activity.category is not ActivityCategory.LEAVE:
            leave = await AbsenceRepository(self.session).approved_on(person.id, day)
            if leave is not None:
                raise Conflict(
                    f"{person.name} is on approved leave on {day.isoformat()}",
                    rule="leave_eligibility",
                    conflicting_id=str(leave.id),
                )
