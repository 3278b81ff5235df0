"""Coverage gaps of a schedule state, and the one-row changes that fill them (pure).

A gap is a clinic session short of supervision (`supervision_ratio`), a covered night
without its one faculty member on call (`faculty_call_coverage`), a resident call night
(`resident_call_nights`) without a resident on in-house call, or an FMIT day without an
attending. Resident call nights and FMIT days count only where the program runs that
service: when the window holds at least one such shift.

Candidates for a gap are ranked by recent burden: how many duties of the gap's kind
they had in the 28 days before it, then how long ago the last one was (longest first),
then name. A candidate must be free (no row in the slot, no shift of that kind that
night or week, no approved leave) and still compliant once they take it (the caller
judges that, as for a swap).
"""

from __future__ import annotations

import math
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

from residency.changes.rows import Change, ScheduleState, ShiftRow, SlotRow
from residency.core.calendar import Session, fmit_week_start, iter_days
from residency.core.settings import weekday_index

GapKind = Literal["supervision", "faculty_call", "resident_call", "fmit"]
SHIFT_OF_GAP = {"faculty_call": "faculty_call", "resident_call": "call", "fmit": "fmit_week"}
BURDEN_DAYS = 28


@dataclass(frozen=True, slots=True)
class Gap:
    kind: GapKind
    date: date  # the slot's date, the night, or the FMIT week's Friday
    session: Session | None
    required: int
    scheduled: int
    message: str
    days: tuple[date, ...] = ()  # FMIT: the uncovered days of the week

    @property
    def key(self) -> tuple[str, date, str | None]:
        return (self.kind, self.date, self.session.value if self.session else None)


def gaps(state: ScheduleState, first: date, last: date) -> list[Gap]:
    """Every coverage gap on the local dates first..last."""
    found = _supervision_gaps(state, first, last)
    found += _faculty_call_gaps(state, first, last)
    found += _resident_call_gaps(state, first, last)
    found += _fmit_gaps(state, first, last)
    return sorted(found, key=lambda g: (g.date, g.session or "", g.kind))


def new_gaps(before: ScheduleState, after: ScheduleState, first: date, last: date) -> list[Gap]:
    """The gaps of `after` that `before` did not have (or had smaller)."""
    old = {g.key: g for g in gaps(before, first, last)}
    return [
        g
        for g in gaps(after, first, last)
        if g.key not in old
        or g.required - g.scheduled > old[g.key].required - old[g.key].scheduled
        or len(g.days) > len(old[g.key].days)
    ]


def _supervision_gaps(state: ScheduleState, first: date, last: date) -> list[Gap]:
    catalogue = state.catalogue
    rules = catalogue.settings.supervision
    units: Counter[tuple[date, Session]] = Counter()
    supervisors: Counter[tuple[date, Session]] = Counter()
    for row in state.assignments.values():
        if not first <= row.date <= last:
            continue
        activity = catalogue.activities[row.activity]
        person = catalogue.people[row.person]
        slot = (row.date, row.session)
        if activity.provides_supervision:
            supervisors[slot] += 1
        elif activity.needs_supervision and person.is_resident:
            if activity.procedures:
                units[slot] += rules.procedure_units
            elif person.pgy == 1:
                units[slot] += rules.pgy1_units
            else:
                units[slot] += rules.senior_units
    found = []
    for slot, count in units.items():
        required = math.ceil(count / rules.units_per_supervisor)
        if supervisors[slot] < required:
            found.append(
                Gap(
                    "supervision",
                    slot[0],
                    slot[1],
                    required,
                    supervisors[slot],
                    f"{slot[0]} {slot[1]}: {supervisors[slot]} of {required} preceptor(s)",
                )
            )
    return found


def _nights(state: ScheduleState, kind: str) -> Counter[date]:
    return Counter(s.date for s in state.shifts.values() if s.kind == kind)


def _faculty_call_gaps(state: ScheduleState, first: date, last: date) -> list[Gap]:
    covered = {weekday_index(n) for n in state.catalogue.settings.covered_call_nights}
    on_call = _nights(state, "faculty_call")
    return [
        Gap("faculty_call", night, None, 1, 0, f"{night}: no faculty member on call")
        for night in iter_days(first, last)
        if night.weekday() in covered and on_call[night] == 0
    ]


def _resident_call_gaps(state: ScheduleState, first: date, last: date) -> list[Gap]:
    on_call = _nights(state, "call")
    if not on_call:
        return []
    nights = {weekday_index(n) for n in state.catalogue.settings.resident_call_nights}
    return [
        Gap("resident_call", night, None, 1, 0, f"{night}: no resident on in-house call")
        for night in iter_days(first, last)
        if night.weekday() in nights and on_call[night] == 0
    ]


def _fmit_gaps(state: ScheduleState, first: date, last: date) -> list[Gap]:
    if not any(s.kind == "fmit_week" for s in state.shifts.values()):
        return []
    uncovered: dict[date, list[date]] = {}
    for day in iter_days(first, last):
        if not state.shifts_covering("fmit_week", day):
            uncovered.setdefault(fmit_week_start(day), []).append(day)
    return [
        Gap(
            "fmit",
            friday,
            None,
            1,
            0,
            f"FMIT week from {friday}: no attending on {', '.join(map(str, days))}",
            tuple(days),
        )
        for friday, days in uncovered.items()
    ]


# --- filling a gap ---------------------------------------------------------------------


def default_span(state: ScheduleState, kind: str, day: date) -> tuple[datetime, datetime]:
    """The times of a new shift: those of the program's conventions (scheduling/problem)."""
    zone = state.catalogue.zone
    settings = state.catalogue.settings
    if kind == "faculty_call":
        sessions = settings.sessions
        return (
            datetime.combine(day, sessions.pm_end, tzinfo=zone),
            datetime.combine(day + timedelta(days=1), sessions.am_start, tzinfo=zone),
        )
    if kind == "fmit_week":
        return (
            datetime.combine(day, time(0), tzinfo=zone),
            datetime.combine(day + timedelta(days=7), time(0), tzinfo=zone),
        )
    start = datetime.combine(day, time(7), tzinfo=zone)
    return start, start + timedelta(hours=settings.duty_hours.max_continuous_hours)


def fill(
    state: ScheduleState,
    gap_kind: GapKind,
    day: date,
    session: Session | None,
    person: str,
    activity: tuple[str, str] | None,
) -> Change:
    """The one new row that puts `person` in the gap (`activity`: (id, code) to precept)."""
    if gap_kind == "supervision":
        assert session is not None and activity is not None
        return Change(
            None,
            SlotRow(str(uuid.uuid4()), 1, person, day, session, activity[0], activity[1]),
        )
    kind = SHIFT_OF_GAP[gap_kind]
    start, end = default_span(state, kind, day)
    return Change(None, ShiftRow(str(uuid.uuid4()), 1, person, kind, day, start, end))


def is_free(
    state: ScheduleState, gap_kind: GapKind, day: date, session: Session | None, person: str
) -> bool:
    """No row where the gap is, and no approved leave that day (or the morning after a
    night, or any day of an FMIT week)."""
    if gap_kind == "supervision":
        assert session is not None
        busy = state.slot_of(person, day, session) is not None
        days = [day]
    elif gap_kind == "fmit":
        days = list(iter_days(day, day + timedelta(days=6)))
        busy = any(s.person == person for d in days for s in state.shifts_covering("fmit_week", d))
    else:
        busy = state.shift_of(person, SHIFT_OF_GAP[gap_kind], day) is not None
        days = [day, day + timedelta(days=1)]
    on_leave = any(
        a.person == person and a.status == "approved" and a.start_date <= d <= a.end_date
        for a in state.catalogue.absences
        for d in days
    )
    return not busy and not on_leave


def burden(state: ScheduleState, gap_kind: GapKind, day: date, person: str) -> tuple[int, int]:
    """(duties of the gap's kind in the 28 days before `day`, -days since the last one)."""
    since = day - timedelta(days=BURDEN_DAYS)
    if gap_kind == "supervision":
        catalogue = state.catalogue
        dates = [
            r.date
            for r in state.rows_of(person)
            if isinstance(r, SlotRow)
            and catalogue.activities[r.activity].provides_supervision
            and since <= r.date < day
        ]
    else:
        kind = SHIFT_OF_GAP[gap_kind]
        dates = [
            r.date
            for r in state.rows_of(person)
            if isinstance(r, ShiftRow) and r.kind == kind and since <= r.date < day
        ]
    recency = -(day - max(dates)).days if dates else -(BURDEN_DAYS + 1)
    return len(dates), recency


def with_absence_status(
    state: ScheduleState, person: str, first: date, last: date, status: str, override: str | None
) -> ScheduleState:
    """The state with the person's absence first..last set to `status`."""
    catalogue = state.catalogue
    absences = [
        replace(a, status=status, override_reason=override)
        if (a.person, a.start_date, a.end_date) == (person, first, last)
        else a
        for a in catalogue.absences
    ]
    return ScheduleState(replace(catalogue, absences=absences), state.assignments, state.shifts)
