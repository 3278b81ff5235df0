"""Rules for absences: ordered dates inside the year, no overlapping live requests."""

from __future__ import annotations

from typing import Any

from residency.absences.models import Absence, AbsenceStatus
from residency.absences.repository import LIVE_STATUSES, AbsenceRepository
from residency.errors import Conflict, Forbidden, InvalidInput
from residency.people.models import Person
from residency.service_base import ScopedService, require_in_program, require_inside_academic_year


class AbsenceService(ScopedService[Absence]):
    repository_class = AbsenceRepository
    owner_field = "person_id"

    async def check(self, values: dict[str, Any], current: Absence | None) -> None:
        self._check_own_request(values["status"], current)
        person: Person = await require_in_program(
            self.session, Person, values["person_id"], self.program.id, "person_id"
        )
        start, end = values["start_date"], values["end_date"]
        if end < start:
            raise InvalidInput.field("end_date", "must be on or after start_date")
        for field, day in (("start_date", start), ("end_date", end)):
            await require_inside_academic_year(self.session, self.program.id, day, field)
        if values["status"] not in LIVE_STATUSES:
            return
        clash = await AbsenceRepository(self.session).live_overlapping(
            person.id, start, end, current.id if current else None
        )
        if clash is not None:
            raise Conflict(
                f"{person.name} already has leave from {clash.start_date} to {clash.end_date}",
                rule="absence_overlap",
                conflicting_id=str(clash.id),
            )

    async def check_delete(self, row: Absence) -> None:
        if self.owner is not None and row.status != AbsenceStatus.REQUESTED:
            raise Forbidden("a decided leave request can be cancelled, not deleted")

    def _check_own_request(self, status: AbsenceStatus, current: Absence | None) -> None:
        """A resident or faculty member files and edits requests, and may cancel them;
        approving and denying is for coordinators and chiefs."""
        if self.owner is None or status == AbsenceStatus.CANCELLED:
            return
        undecided = current is None or current.status == AbsenceStatus.REQUESTED
        if status != AbsenceStatus.REQUESTED or not undecided:
            raise Forbidden("only a coordinator or chief decides a leave request")
