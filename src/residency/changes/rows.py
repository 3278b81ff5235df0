"""Schedule rows as plain data, changes to them, and the state they form (pure: no I/O).

A `ScheduleState` is a window of the published schedule: the catalogue (a
`ScheduleSnapshot` without rows) and the slot and shift rows by id. A `Change` replaces
one row by another (`before` -> `after`; None on one side for a create or a delete);
`ScheduleState.apply` gives the after-state, in memory, that the judge compares with the
before-state. Swaps are exchanges of two people's rows over a set of `Units`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from residency.core.calendar import Session
from residency.core.schedule import ScheduleSnapshot, ShiftInfo, SlotAssignment

Table = Literal["assignments", "shifts"]
SESSIONS = (Session.AM, Session.PM)
EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SlotRow:
    """An `assignments` row: `person` holds `activity` (its code) in (date, session)."""

    id: str
    version: int
    person: str
    date: date
    session: Session
    activity_id: str
    activity: str
    locked: bool = False

    table: Table = field(default="assignments", init=False)

    def fields(self) -> dict[str, Any]:
        return {"person_id": self.person, "activity_id": self.activity_id, "locked": self.locked}

    def describe(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "session": self.session.value,
            "activity": self.activity,
        }


@dataclass(frozen=True, slots=True)
class ShiftRow:
    """A `shifts` row: `person`'s `kind` shift [start, end), starting on local `date`."""

    id: str
    version: int
    person: str
    kind: str
    date: date
    start: datetime
    end: datetime
    locked: bool = False

    table: Table = field(default="shifts", init=False)

    def fields(self) -> dict[str, Any]:
        return {
            "person_id": self.person,
            "start_at": self.start.isoformat(),
            "end_at": self.end.isoformat(),
            "locked": self.locked,
        }

    def describe(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "kind": self.kind}


Row = SlotRow | ShiftRow


@dataclass(frozen=True, slots=True)
class Change:
    """One row replaced: an update (both sides, same id), a create or a delete."""

    before: Row | None
    after: Row | None

    @property
    def row(self) -> Row:
        found = self.after or self.before
        assert found is not None
        return found

    @property
    def op(self) -> Literal["create", "update", "delete"]:
        if self.before is None:
            return "create"
        return "delete" if self.after is None else "update"

    @property
    def people(self) -> set[str]:
        return {row.person for row in (self.before, self.after) if row is not None}


@dataclass(frozen=True, slots=True)
class Units:
    """What a swap exchanges: slots (date, session) and shift days (kind, local date)."""

    slots: frozenset[tuple[date, Session]] = frozenset()
    shifts: frozenset[tuple[str, date]] = frozenset()

    def __or__(self, other: Units) -> Units:
        return Units(self.slots | other.slots, self.shifts | other.shifts)

    @property
    def dates(self) -> set[date]:
        return {day for day, _ in self.slots} | {day for _, day in self.shifts}


def slot_units(day: date, sessions: Iterable[Session] = SESSIONS) -> Units:
    return Units(slots=frozenset((day, session) for session in sessions))


@dataclass
class ScheduleState:
    """A window of the schedule: the catalogue and every row loaded for it, by id."""

    catalogue: ScheduleSnapshot  # people, activities, plan, absences...; rows unused
    assignments: dict[str, SlotRow]
    shifts: dict[str, ShiftRow]

    def __post_init__(self) -> None:
        self._slots = {(r.person, r.date, r.session): r for r in self.assignments.values()}
        self._shift_days = {(r.person, r.kind, r.date): r for r in self.shifts.values()}

    def slot_of(self, person: str, day: date, session: Session) -> SlotRow | None:
        return self._slots.get((person, day, session))

    def shift_of(self, person: str, kind: str, day: date) -> ShiftRow | None:
        return self._shift_days.get((person, kind, day))

    def shifts_covering(self, kind: str, day: date) -> list[ShiftRow]:
        """Shifts of `kind` that cover any part of local `day`."""
        zone = self.catalogue.zone
        start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        return [
            s for s in self.shifts.values() if s.kind == kind and s.start < end and s.end > start
        ]

    def rows_of(self, person: str) -> Iterator[Row]:
        yield from (r for r in self.assignments.values() if r.person == person)
        yield from (r for r in self.shifts.values() if r.person == person)

    def apply(self, changes: Iterable[Change]) -> ScheduleState:
        """The state after `changes` (a new state; this one is left as it is)."""
        assignments, shifts = dict(self.assignments), dict(self.shifts)
        for change in changes:
            for side, present in ((change.before, False), (change.after, True)):
                if side is None:
                    continue
                table: dict[str, Any] = assignments if isinstance(side, SlotRow) else shifts
                if present:
                    table[side.id] = side
                else:
                    table.pop(side.id, None)
        return ScheduleState(self.catalogue, assignments, shifts)

    def snapshot(
        self,
        period: tuple[date, date],
        people: set[str] | None = None,
        margin: timedelta | None = None,
    ) -> ScheduleSnapshot:
        """The state as a `ScheduleSnapshot` over `period`, of `people` (default everyone);
        with `margin`, only the rows within `margin` of the period."""
        catalogue = self.catalogue
        first, last, opening, closing = date.min, date.max, EARLIEST, LATEST
        if margin is not None:
            first, last = period[0] - margin, period[1] + margin
            opening = datetime.combine(first, time(0), tzinfo=catalogue.zone)
            closing = datetime.combine(last + timedelta(days=1), time(0), tzinfo=catalogue.zone)
        return replace(
            catalogue,
            period=period,
            people=catalogue.people
            if people is None
            else {pid: info for pid, info in catalogue.people.items() if pid in people},
            assignments=[
                SlotAssignment(r.person, r.date, r.session, r.activity, r.locked)
                for r in self.assignments.values()
                if (people is None or r.person in people) and first <= r.date <= last
            ],
            shifts=[
                ShiftInfo(r.person, r.kind, r.start, r.end)
                for r in self.shifts.values()
                if (people is None or r.person in people) and r.start < closing and r.end > opening
            ],
        )


def exchange(state: ScheduleState, units: Units, a: str, b: str) -> list[Change]:
    """Exchange `a`'s and `b`'s rows over `units`.

    Where both hold a slot, their activities are exchanged (the rows stay put); where
    one holds it, the row moves to the other. Shifts likewise: both holding a shift of
    that kind that day exchange their times, else the one row moves. No step ever puts
    two rows in one (person, date, session) or (person, kind, date), so the unique
    constraints never trip, whatever order the database applies the updates in.
    """
    changes: list[Change] = []
    for day, session in sorted(units.slots):
        mine, theirs = state.slot_of(a, day, session), state.slot_of(b, day, session)
        if mine is not None and theirs is not None:
            if mine.activity_id != theirs.activity_id:
                changes.append(
                    Change(
                        mine,
                        replace(mine, activity_id=theirs.activity_id, activity=theirs.activity),
                    )
                )
                changes.append(
                    Change(
                        theirs,
                        replace(theirs, activity_id=mine.activity_id, activity=mine.activity),
                    )
                )
        elif mine is not None:
            changes.append(Change(mine, replace(mine, person=b)))
        elif theirs is not None:
            changes.append(Change(theirs, replace(theirs, person=a)))
    for kind, day in sorted(units.shifts):
        mine_s, theirs_s = state.shift_of(a, kind, day), state.shift_of(b, kind, day)
        if mine_s is not None and theirs_s is not None:
            if (mine_s.start, mine_s.end) != (theirs_s.start, theirs_s.end):
                changes.append(
                    Change(mine_s, replace(mine_s, start=theirs_s.start, end=theirs_s.end))
                )
                changes.append(
                    Change(theirs_s, replace(theirs_s, start=mine_s.start, end=mine_s.end))
                )
        elif mine_s is not None:
            changes.append(Change(mine_s, replace(mine_s, person=b)))
        elif theirs_s is not None:
            changes.append(Change(theirs_s, replace(theirs_s, person=a)))
    return changes


def rows_in(state: ScheduleState, units: Units, people: Iterable[str]) -> list[Row]:
    """Every row of `people` inside `units`."""
    found: list[Row] = []
    for person in people:
        for day, session in sorted(units.slots):
            slot = state.slot_of(person, day, session)
            if slot is not None:
                found.append(slot)
        for kind, day in sorted(units.shifts):
            shift = state.shift_of(person, kind, day)
            if shift is not None:
                found.append(shift)
    return found


def slot_key(row: Row) -> tuple[str, str, date, str]:
    """What a row must hold alone: (person, slot) or (person, shift kind, day)."""
    if isinstance(row, SlotRow):
        return ("slot", row.person, row.date, row.session.value)
    return ("shift", row.person, row.date, row.kind)


def collisions(state: ScheduleState, changes: Iterable[Change]) -> list[Row]:
    """Rows that stay put where a change would put another row (one activity per slot,
    one shift of a kind per day), and changed rows that would land on one another."""
    changes = list(changes)
    moving = {c.row.id for c in changes}
    holders: dict[tuple[str, str, date, str], Row] = {}
    for row in state.assignments.values():
        holders[slot_key(row)] = row
    for shift in state.shifts.values():
        holders[slot_key(shift)] = shift
    found: list[Row] = []
    landed: dict[tuple[str, str, date, str], Row] = {}
    for change in changes:
        if change.after is None:
            continue
        key = slot_key(change.after)
        holder = holders.get(key)
        if holder is not None and holder.id not in moving:
            found.append(holder)
        elif key in landed:
            found.append(landed[key])
        landed[key] = change.after
    return found
