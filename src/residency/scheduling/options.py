"""A resident's possible days: the rotation's pattern, a 24-h call, post-call, leave.

Each option is a complete day: the activity of each session and the exact duty intervals
(epoch seconds) it puts on the duty timeline. The block model picks one option per
resident and day, so every duty-hour quantity is a precomputed number of an option (or
of two consecutive options, for what spills past midnight). The rules that shape the
options themselves are enforced here by construction:

- `protected_education` (ACGME.md program rules): the protected session of a resident on
  a non-exempt rotation holds didactics, never clinical or inpatient work;
- `leave_eligibility`: an approved-leave day is leave (LV, locked), nothing else;
- `clinic_capacity` on closed days (capacity 0): clinic sessions become holiday (HOL);
  on reduced days they may (the block model decides, within the capacity).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from residency.core.calendar import Session
from residency.core.program_file import AssignmentSpec, PlanEntrySpec, RotationSpec, ShiftSpec
from residency.core.schedule import SHIFT_DUTY_KINDS
from residency.core.settings import WeekdayName
from residency.scheduling.problem import SESSIONS, Problem, Span
from residency.scheduling.rows import RowIndex

WEEKDAY_NAMES: tuple[WeekdayName, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
WORK_EXCLUDED = frozenset({"home_call"})


@dataclass(frozen=True, slots=True)
class Duty:
    """One duty-timeline interval [start, end) in epoch seconds, with its kind."""

    start: int
    end: int
    kind: str

    @property
    def is_work(self) -> bool:
        return self.kind not in WORK_EXCLUDED


@dataclass(frozen=True)
class DayOption:
    """One way a resident's day can go; `kind` is pattern, call, postcall, leave or fixed."""

    kind: str
    cells: tuple[str | None, str | None] = (None, None)
    duties: tuple[Duty, ...] = ()
    call: Span | None = None
    locked: tuple[bool, bool] = (False, False)

    @property
    def is_call(self) -> bool:
        return self.call is not None

    def cell(self, session: Session) -> str | None:
        return self.cells[0] if session is Session.AM else self.cells[1]


EMPTY = DayOption("fixed")


class PlanLookup:
    """The rotation of a resident on a day, from plan entries (half-block entries win)."""

    def __init__(self, problem: Problem, entries: list[PlanEntrySpec]) -> None:
        self.problem = problem
        self.entries: dict[tuple[str, int, int], str] = {
            (e.person, e.block, e.half): e.rotation for e in entries
        }

    def code(self, person: str, day: date) -> str | None:
        block = self.problem.block_of(day)
        if block is None:
            return None
        half = 1 if (day - block.start).days < 14 else 2
        return self.entries.get((person, block.number, half)) or self.entries.get(
            (person, block.number, 0)
        )

    def rotation(self, person: str, day: date) -> RotationSpec | None:
        code = self.code(person, day)
        return None if code is None else self.problem.rotations[code]


def slot_duties(problem: Problem, day: date, cells: tuple[str | None, str | None]) -> list[Duty]:
    """The duties of a day's slots (activities that count toward hours)."""
    duties = []
    for session, code in zip(SESSIONS, cells, strict=True):
        if code is None:
            continue
        kind = problem.duty_kind(code)
        if kind is not None:
            start, end = problem.slot_span(code, day, session)
            duties.append(Duty(start, end, kind))
    return duties


def shift_duty(problem: Problem, kind: str, start: int, end: int) -> Duty | None:
    duty_kind = SHIFT_DUTY_KINDS.get(kind)
    return None if duty_kind is None else Duty(start, end, duty_kind)


def fixed_option(problem: Problem, rows: RowIndex, person: str, day: date) -> DayOption:
    """A day already decided: its rows (slots dated `day`, shifts starting on `day`)."""
    cells = (
        _code(rows.cell(person, day, "AM")),
        _code(rows.cell(person, day, "PM")),
    )
    duties = slot_duties(problem, day, cells)
    call: Span | None = None
    for shift in rows.shifts_on(person, day):
        start, end = int(shift.start.timestamp()), int(shift.end.timestamp())
        duty = shift_duty(problem, shift.kind, start, end)
        if duty is not None:
            duties.append(duty)
        if shift.kind == "call":
            call = (start, end)
    return DayOption("fixed", cells, tuple(duties), call)


def _code(row: AssignmentSpec | None) -> str | None:
    return None if row is None else row.activity


def cell_choices(
    problem: Problem, rotation: RotationSpec | None, day: date, session: Session
) -> tuple[str | None, ...]:
    """The activities a session may hold under the rotation's weekly pattern.

    A fixed cell keeps its activity; an empty cell of a rotation with a `flex_activity`
    is continuity clinic or the flex activity; the protected session is didactics; clinic
    on a closed day is a holiday, and on a reduced day clinic or a holiday.
    """
    if rotation is None:
        return (None,)
    cell = rotation.weekly_pattern.get(WEEKDAY_NAMES[day.weekday()])
    code = None if cell is None else (cell.AM if session is Session.AM else cell.PM)
    if code is None and rotation.flex_activity is not None:
        choices: tuple[str | None, ...] = (problem.roles.continuity, rotation.flex_activity)
    else:
        choices = (code,)
    adjusted: list[str | None] = []
    for choice in choices:
        for option in _adjust(problem, rotation, day, session, choice):
            if option not in adjusted:
                adjusted.append(option)
    return tuple(adjusted)


def _adjust(
    problem: Problem, rotation: RotationSpec, day: date, session: Session, code: str | None
) -> tuple[str | None, ...]:
    if code is None:
        return (None,)
    if _is_protected(problem, rotation, day, session) and problem.info(code).category in (
        "clinical",
        "inpatient",
    ):
        return (problem.roles.didactics,)
    level = problem.holidays.get(day)
    if level is not None and problem.is_clinic(code):
        return (problem.roles.holiday,) if level == "closed" else (code, problem.roles.holiday)
    return (code,)


def _is_protected(problem: Problem, rotation: RotationSpec, day: date, session: Session) -> bool:
    slot = problem.protected_slot
    return (
        slot is not None
        and not rotation.protected_education_exempt
        and day.weekday() == slot[0]
        and session is slot[1]
    )


@dataclass
class DayContext:
    """Everything the options of one resident day depend on."""

    problem: Problem
    plan: PlanLookup
    locks: RowIndex

    def call_allowed(self, person: str, day: date) -> bool:
        """A 24-h call may start on `day`: a call night, a call-taking rotation, no leave
        or locked rows that day or the next (the post-call day)."""
        problem = self.problem
        if not problem.is_resident_call_night(day):
            return False
        rotation = self.plan.rotation(person, day)
        after = day + timedelta(days=1)
        return (
            rotation is not None
            and rotation.takes_call
            and not problem.on_leave(person, day)
            and not problem.on_leave(person, after)
            and not self.locks.has(person, day)
            and not self.locks.has(person, after)
        )

    def options(self, person: str, day: date, call_before: bool) -> list[DayOption]:
        """The options of a variable day; `call_before`: the previous day may hold a call."""
        problem = self.problem
        locked_call = [s for s in self.locks.shifts_on(person, day) if s.kind == "call"]
        if locked_call:
            return [self._locked_call(person, day, locked_call[0])]
        on_leave = problem.on_leave(person, day)
        found = self._patterns(person, day, on_leave)
        if on_leave:
            return found
        if self.call_allowed(person, day):
            span = problem.resident_call_span(day)
            found.append(DayOption("call", duties=(Duty(*span, "in_house_call"),), call=span))
        if call_before and not self.locks.has(person, day):
            roles = problem.roles
            found.append(DayOption("postcall", cells=(roles.post_call, roles.off)))
        return found

    def _locked_call(self, person: str, day: date, shift: ShiftSpec) -> DayOption:
        start, end = int(shift.start.timestamp()), int(shift.end.timestamp())
        return DayOption("call", duties=(Duty(start, end, "in_house_call"),), call=(start, end))

    def _patterns(self, person: str, day: date, on_leave: bool) -> list[DayOption]:
        problem = self.problem
        rotation = self.plan.rotation(person, day)
        per_session: list[tuple[tuple[str | None, bool], ...]] = []
        for session in SESSIONS:
            lock = self.locks.cell(person, day, session.value)
            if lock is not None:
                per_session.append(((lock.activity, True),))
            elif on_leave:
                per_session.append(((problem.roles.leave, True),))
            else:
                choices = cell_choices(problem, rotation, day, session)
                per_session.append(tuple((code, False) for code in choices))
        extra = [
            duty
            for shift in self.locks.shifts_on(person, day)
            if (
                duty := shift_duty(
                    problem, shift.kind, int(shift.start.timestamp()), int(shift.end.timestamp())
                )
            )
            is not None
        ]
        kind = "leave" if on_leave else "pattern"
        options = []
        for (am, am_locked), (pm, pm_locked) in itertools.product(*per_session):
            cells = (am, pm)
            duties = tuple(slot_duties(problem, day, cells) + extra)
            options.append(DayOption(kind, cells, duties, locked=(am_locked, pm_locked)))
        return options
