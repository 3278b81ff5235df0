"""Schedule rows (slot assignments and shifts) indexed by person and local date."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from residency.core.program_file import AssignmentSpec, ShiftSpec
from residency.scheduling.problem import Problem

DayKey = tuple[str, date]


@dataclass
class RowIndex:
    """Rows by (person, date); a shift is filed under the local date it starts."""

    problem: Problem
    assignments: dict[DayKey, list[AssignmentSpec]] = field(
        default_factory=lambda: defaultdict(list)
    )
    shifts: dict[DayKey, list[ShiftSpec]] = field(default_factory=lambda: defaultdict(list))

    def add(self, assignments: Iterable[AssignmentSpec], shifts: Iterable[ShiftSpec]) -> None:
        for row in assignments:
            self.assignments[(row.person, row.date)].append(row)
        for shift in shifts:
            start = shift.start.astimezone(self.problem.zone).date()
            self.shifts[(shift.person, start)].append(shift)

    def slots(self, person: str, day: date) -> list[AssignmentSpec]:
        return self.assignments.get((person, day), [])

    def shifts_on(self, person: str, day: date) -> list[ShiftSpec]:
        return self.shifts.get((person, day), [])

    def has(self, person: str, day: date) -> bool:
        return bool(self.slots(person, day) or self.shifts_on(person, day))

    def cell(self, person: str, day: date, session: str) -> AssignmentSpec | None:
        return next((r for r in self.slots(person, day) if r.session == session), None)

    def kinds_on(self, person: str, day: date) -> set[str]:
        return {shift.kind for shift in self.shifts_on(person, day)}


def index_rows(
    problem: Problem, assignments: Iterable[AssignmentSpec], shifts: Iterable[ShiftSpec]
) -> RowIndex:
    index = RowIndex(problem)
    index.add(assignments, shifts)
    return index
