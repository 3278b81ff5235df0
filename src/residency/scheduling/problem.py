"""An indexed, read-only view of a program file for the models (pure date arithmetic).

Times are epoch seconds (ints) so duty hours are exact, across midnight and across
daylight-saving changes; calendar days are those of the program's zone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from residency.activities.kinds import DUTY_KIND_OF_CATEGORY, ActivityCategory
from residency.core.calendar import (
    FMIT_WEEK_START,
    BlockSpan,
    Session,
    academic_year_bounds,
    generate_blocks,
    iter_days,
    weekday_number,
)
from residency.core.program_file import (
    ActivityRoles,
    ActivitySpec,
    PersonSpec,
    ProgramFile,
    RotationSpec,
)
from residency.core.schedule import (
    ActivityInfo,
    PersonInfo,
    ScheduleSnapshot,
    SlotAssignment,
    activity_info,
    rotation_info,
)
from residency.core.settings import ProgramSettings, weekday_index

SESSIONS = (Session.AM, Session.PM)
LEVEL_FACTORS = {"closed": 0.0}
Span = tuple[int, int]


class ProgramError(ValueError):
    """The program cannot be solved as written: `field` names what to fix."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def base_snapshot(
    program: ProgramFile, period: tuple[date, date] | None = None
) -> ScheduleSnapshot:
    """A snapshot with the program's catalogue, people, absences and holidays, no schedule."""
    return ScheduleSnapshot(
        timezone=program.timezone,
        settings=program.settings,
        period=period or academic_year_bounds(program.academic_year),
        blocks=generate_blocks(program.academic_year, weekday_number(program.block_weekday)),
        activities={a.code: activity_info(a) for a in program.activities},
        people={
            p.id: PersonInfo(p.id, p.name, p.role.value, p.pgy, p.weekly_clinic_cap)
            for p in program.people
        },
        rotations={r.abbreviation: rotation_info(r) for r in program.rotations},
        absences=[],
        holidays={h.date: h.clinic_level for h in program.holidays},
    )


@dataclass
class Problem:
    """The program, indexed: people, rotations, activities, leave, holidays, calendar."""

    program: ProgramFile
    snapshot: ScheduleSnapshot
    zone: ZoneInfo
    year: tuple[date, date]
    blocks: list[BlockSpan]
    activities: dict[str, ActivitySpec]
    people: dict[str, PersonSpec]
    rotations: dict[str, RotationSpec]
    holidays: dict[date, str]
    approved_leave: dict[str, set[date]] = field(default_factory=dict)
    requested_leave: dict[str, set[date]] = field(default_factory=dict)
    _midnights: dict[date, int] = field(default_factory=dict)
    _slot_spans: dict[tuple[str, date, Session], Span] = field(default_factory=dict)

    # --- people ---------------------------------------------------------------------

    @cached_property
    def residents(self) -> list[str]:
        return [p.id for p in self.program.people if p.role == "resident"]

    @cached_property
    def faculty(self) -> list[str]:
        return [p.id for p in self.program.people if p.role == "faculty"]

    def pgy(self, person: str) -> int:
        return self.people[person].pgy or 0

    def clinic_cap(self, person: str) -> int | None:
        return self.people[person].weekly_clinic_cap

    def fmit_eligible(self, person: str) -> bool:
        role = self.people[person].faculty_role
        return role is not None and role in self.settings.fmit_faculty_roles

    def on_leave(self, person: str, day: date) -> bool:
        return day in self.approved_leave.get(person, ())

    # --- settings and activities ----------------------------------------------------

    @property
    def settings(self) -> ProgramSettings:
        return self.program.settings

    @property
    def roles(self) -> ActivityRoles:
        return self.program.activity_roles

    def info(self, code: str) -> ActivityInfo:
        return self.snapshot.activities[code]

    def is_clinic(self, code: str | None) -> bool:
        return code is not None and self.info(code).is_clinic

    def sees_patients(self, code: str | None) -> bool:
        """Counts toward `clinic_capacity`: seeing patients, not precepting."""
        if code is None:
            return False
        info = self.info(code)
        return info.sees_patients and not info.provides_supervision

    def supervision_units(self, code: str | None, pgy: int) -> int:
        """`supervision_ratio` units of a resident holding `code` (0 if unsupervised)."""
        if code is None or not self.info(code).needs_supervision:
            return 0
        rules = self.settings.supervision
        if self.info(code).procedures:
            return rules.procedure_units
        return rules.pgy1_units if pgy == 1 else rules.senior_units

    def duty_kind(self, code: str) -> str | None:
        """The duty-timeline kind of a slot holding `code` (None: no duty)."""
        info = self.info(code)
        if not info.counts_toward_hours:
            return None
        return DUTY_KIND_OF_CATEGORY[ActivityCategory(info.category)]

    # --- calendar -------------------------------------------------------------------

    def midnight(self, day: date) -> int:
        found = self._midnights.get(day)
        if found is None:
            found = epoch(datetime.combine(day, time(0), tzinfo=self.zone))
            self._midnights[day] = found
        return found

    def at(self, day: date, clock: time) -> int:
        return epoch(datetime.combine(day, clock, tzinfo=self.zone))

    def moment(self, seconds: int) -> datetime:
        return datetime.fromtimestamp(seconds, tz=self.zone)

    def local_date(self, seconds: int) -> date:
        return self.moment(seconds).date()

    def slot_span(self, code: str, day: date, session: Session) -> Span:
        """The real interval of a slot holding `code` (as `ScheduleSnapshot.slot_interval`)."""
        key = (code, day, session)
        found = self._slot_spans.get(key)
        if found is None:
            start, end = self.snapshot.slot_interval(SlotAssignment("", day, session, code))
            found = (epoch(start), epoch(end))
            self._slot_spans[key] = found
        return found

    def block_of(self, day: date) -> BlockSpan | None:
        return self._block_by_day.get(day)

    def block_number(self, day: date) -> int:
        """The number of the block holding `day` (a day of the academic year)."""
        return self._block_by_day[day].number

    @cached_property
    def _block_by_day(self) -> dict[date, BlockSpan]:
        return {day: block for block in self.blocks for day in block.days()}

    def block(self, number: int) -> BlockSpan:
        return next(b for b in self.blocks if b.number == number)

    @cached_property
    def days(self) -> list[date]:
        return list(iter_days(*self.year))

    def clinic_capacity(self, day: date) -> int:
        """`clinic_capacity` of a day: the rooms scaled by its operating level."""
        level = self.holidays.get(day)
        factor = (
            1.0
            if level is None
            else self.settings.reduced_day_capacity_factor
            if level == "reduced"
            else 0.0
        )
        return math.floor(self.settings.clinic_rooms * factor)

    def is_resident_call_night(self, day: date) -> bool:
        return day.weekday() in self.resident_call_weekdays

    def is_covered_night(self, day: date) -> bool:
        return day.weekday() in self.covered_weekdays

    @cached_property
    def resident_call_weekdays(self) -> set[int]:
        """Weekdays (Monday 0) of the nights with one resident on in-house call."""
        return {weekday_index(name) for name in self.settings.resident_call_nights}

    @cached_property
    def covered_weekdays(self) -> set[int]:
        """Weekdays (Monday 0) of the nights with one faculty member on call."""
        return {weekday_index(name) for name in self.settings.covered_call_nights}

    @cached_property
    def protected_slot(self) -> tuple[int, Session] | None:
        setting = self.settings.protected_education
        if not setting.enabled:
            return None
        return weekday_index(setting.weekday), Session(setting.session)

    # --- shifts ---------------------------------------------------------------------

    def resident_call_span(self, day: date) -> Span:
        """A 24-h in-house call from the call activity's AM start (07:00), real hours."""
        call = self.activities.get(self.roles.call)
        clock = call.am_start if call is not None and call.am_start else time(7)
        start = self.at(day, clock)
        return start, start + int(self.settings.duty_hours.max_continuous_hours * 3600)

    def faculty_call_span(self, night: date) -> Span:
        """Faculty overnight call: end of the PM session to the next AM session start."""
        sessions = self.settings.sessions
        morning = night + timedelta(days=1)
        return self.at(night, sessions.pm_end), self.at(morning, sessions.am_start)

    def fmit_span(self, friday: date) -> Span:
        """An FMIT week: Friday 00:00 to the next Friday 00:00, local."""
        return self.midnight(friday), self.midnight(friday + timedelta(days=7))

    @cached_property
    def fmit_fridays(self) -> list[date]:
        """Fridays of the FMIT weeks (Friday-Thursday) that start inside the year."""
        first, last = self.year
        friday = first + timedelta(days=(FMIT_WEEK_START - first.weekday()) % 7)
        return [friday + timedelta(weeks=n) for n in range((last - friday).days // 7 + 1)]


def build_problem(program: ProgramFile) -> Problem:
    """Index `program`; ProgramError when something the solver writes is missing."""
    _check_roles(program)
    snapshot = base_snapshot(program)
    approved: dict[str, set[date]] = defaultdict(set)
    requested: dict[str, set[date]] = defaultdict(set)
    for absence in program.absences:
        target = (
            approved
            if absence.status == "approved"
            else requested
            if absence.status == "requested"
            else None
        )
        if target is not None:
            target[absence.person].update(iter_days(absence.start_date, absence.end_date))
    return Problem(
        program=program,
        snapshot=snapshot,
        zone=ZoneInfo(program.timezone),
        year=academic_year_bounds(program.academic_year),
        blocks=snapshot.blocks,
        activities={a.code: a for a in program.activities},
        people={p.id: p for p in program.people},
        rotations={r.abbreviation: r for r in program.rotations},
        holidays=dict(snapshot.holidays),
        approved_leave=dict(approved),
        requested_leave=dict(requested),
    )


def _check_roles(program: ProgramFile) -> None:
    codes = {a.code for a in program.activities}
    needed = ["precepting", "leave", "post_call", "off", "holiday"]
    if program.settings.protected_education.enabled:
        needed.append("didactics")
    if any(r.flex_activity for r in program.rotations):
        needed.append("continuity")
    for name in needed:
        code = getattr(program.activity_roles, name)
        if code not in codes:
            raise ProgramError(f"activity_roles.{name}", f"unknown activity '{code}'")
    for index, person in enumerate(program.people):
        if person.role == "resident" and person.pgy is None:
            raise ProgramError(f"people[{index}].pgy", "a resident needs a PGY level")
