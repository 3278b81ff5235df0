"""Rules for shifts: the right role, FMIT weeks Friday to Thursday, no overlaps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from residency.core.calendar import FMIT_WEEK_START
from residency.errors import Conflict, InvalidInput
from residency.people.kinds import PersonRole
from residency.people.models import Person
from residency.service_base import ScopedService, require_in_program, require_inside_academic_year
from residency.shifts.models import Shift, ShiftKind
from residency.shifts.repository import ShiftRepository

ROLE_OF_KIND = {
    ShiftKind.CALL: PersonRole.RESIDENT,
    ShiftKind.NIGHT_FLOAT: PersonRole.RESIDENT,
    ShiftKind.FACULTY_CALL: PersonRole.FACULTY,
    ShiftKind.FMIT_WEEK: PersonRole.FACULTY,
}
# An FMIT week overlaps the attending's nightly duties by design; only like shifts clash.
CLASHING_KINDS = {
    ShiftKind.FMIT_WEEK: (ShiftKind.FMIT_WEEK,),
    ShiftKind.FACULTY_CALL: (ShiftKind.FACULTY_CALL,),
    ShiftKind.CALL: (ShiftKind.CALL, ShiftKind.NIGHT_FLOAT),
    ShiftKind.NIGHT_FLOAT: (ShiftKind.CALL, ShiftKind.NIGHT_FLOAT),
}


class ShiftService(ScopedService[Shift]):
    repository_class = ShiftRepository
    changes_schedule = True

    async def check(self, values: dict[str, Any], current: Shift | None) -> None:
        person: Person = await require_in_program(
            self.session, Person, values["person_id"], self.program.id, "person_id"
        )
        kind = ShiftKind(values["kind"])
        start, end = values["start_at"], values["end_at"]
        if end <= start:
            raise InvalidInput.field("end_at", "must be after start_at")
        values["date"] = start.astimezone(ZoneInfo(self.program.timezone)).date()
        await require_inside_academic_year(
            self.session, self.program.id, values["date"], "start_at"
        )
        if person.role is not ROLE_OF_KIND[kind]:
            raise Conflict(
                f"a {kind} shift is for {ROLE_OF_KIND[kind]}s; {person.name} is {person.role}",
                rule="shift_role",
            )
        if kind is ShiftKind.FMIT_WEEK:
            self._check_fmit_week(values)
        clash = await ShiftRepository(self.session).overlapping(
            person.id, start, end, current.id if current else None, CLASHING_KINDS[kind]
        )
        if clash is not None:
            raise Conflict(
                f"{person.name} already has a {clash.kind} shift at that time",
                rule="shift_overlap",
                conflicting_id=str(clash.id),
            )

    def _check_fmit_week(self, values: dict[str, Any]) -> None:
        """`fmit_week`: a faculty FMIT week runs Friday to Thursday (seven local days)."""
        zone = ZoneInfo(self.program.timezone)
        first = values["start_at"].astimezone(zone).date()
        last = (values["end_at"] - timedelta(microseconds=1)).astimezone(zone).date()
        if first.weekday() != FMIT_WEEK_START or (last - first).days != 6:
            raise Conflict(
                "an FMIT week starts on a Friday and ends on the following Thursday",
                rule="fmit_week",
            )
