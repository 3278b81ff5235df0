"""A program's schedule as plain data: the input of the validator, the solver and exports.

`ScheduleSnapshot` holds everything the program rules look at — people, activities,
rotations, the rotation plan, slot assignments, shifts, absences and holidays — keyed by
plain strings, so it can come from the database, a program file or a solver run alike.
`duty_timeline` derives the duty timeline that the compliance engine checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from residency.activities.kinds import DUTY_KIND_OF_CATEGORY, ActivityCategory
from residency.core.calendar import BlockSpan, Session, session_interval
from residency.core.settings import ProgramSettings

SHIFT_DUTY_KINDS = {
    "call": "in_house_call",
    "night_float": "night_float",
    "faculty_call": "home_call",
}


@dataclass(frozen=True, slots=True)
class ActivityInfo:
    code: str
    category: ActivityCategory
    am: tuple[time, time] | None = None
    pm: tuple[time, time] | None = None
    counts_toward_hours: bool = True
    needs_supervision: bool = False
    provides_supervision: bool = False
    sees_patients: bool = False
    procedures: bool = False

    @property
    def is_clinic(self) -> bool:
        """Seeing patients or precepting in a clinic session."""
        return self.sees_patients or self.provides_supervision

    @property
    def is_work(self) -> bool:
        return self.category not in (ActivityCategory.LEAVE, ActivityCategory.OFF)


@dataclass(frozen=True, slots=True)
class PersonInfo:
    id: str
    name: str
    role: str  # "resident" | "faculty"
    pgy: int | None = None
    weekly_clinic_cap: int | None = None

    @property
    def is_resident(self) -> bool:
        return self.role == "resident"


@dataclass(frozen=True, slots=True)
class RotationInfo:
    abbreviation: str
    name: str
    min_residents: int = 0
    max_residents: int = 99
    eligible_pgy: tuple[int, ...] = (1, 2, 3)
    leave_allowed: bool = True
    protected_education_exempt: bool = False
    takes_call: bool = False


@dataclass(frozen=True, slots=True)
class PlanEntry:
    person: str
    block: int
    rotation: str
    half: int = 0  # 0 whole block, 1 first 14 days, 2 the rest


@dataclass(frozen=True, slots=True)
class SlotAssignment:
    person: str
    date: date
    session: Session
    activity: str
    locked: bool = False


@dataclass(frozen=True, slots=True)
class ShiftInfo:
    person: str
    kind: str  # call | night_float | faculty_call | fmit_week
    start: datetime
    end: datetime
    locked: bool = False


@dataclass(frozen=True, slots=True)
class AbsenceInfo:
    person: str
    kind: str
    start_date: date
    end_date: date
    status: str = "approved"
    override_reason: str | None = None

    def days(self) -> Iterator[date]:
        day = self.start_date
        while day <= self.end_date:
            yield day
            day += timedelta(days=1)


@dataclass
class ScheduleSnapshot:
    """A program's schedule over `period` (inclusive local dates)."""

    timezone: str
    settings: ProgramSettings
    period: tuple[date, date]
    blocks: list[BlockSpan]
    activities: dict[str, ActivityInfo]
    people: dict[str, PersonInfo]
    rotations: dict[str, RotationInfo] = field(default_factory=dict)
    plan: list[PlanEntry] = field(default_factory=list)
    assignments: list[SlotAssignment] = field(default_factory=list)
    shifts: list[ShiftInfo] = field(default_factory=list)
    absences: list[AbsenceInfo] = field(default_factory=list)
    holidays: dict[date, str] = field(default_factory=dict)  # date -> "closed" | "reduced"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def block_of(self, day: date) -> BlockSpan | None:
        return next((block for block in self.blocks if block.contains(day)), None)

    def rotation_on(self, person: str, day: date) -> RotationInfo | None:
        """The resident's planned rotation on `day` (a half-block entry wins its half)."""
        block = self.block_of(day)
        if block is None:
            return None
        half = 1 if (day - block.start).days < 14 else 2
        for entry in self.plan:
            if entry.person == person and entry.block == block.number and entry.half in (0, half):
                return self.rotations.get(entry.rotation)
        return None

    def session_times(self, activity: ActivityInfo, session: Session) -> tuple[time, time]:
        own = activity.am if session is Session.AM else activity.pm
        if own is not None:
            return own
        sessions = self.settings.sessions
        if session is Session.AM:
            return sessions.am_start, sessions.am_end
        return sessions.pm_start, sessions.pm_end

    def slot_interval(self, slot: SlotAssignment) -> tuple[datetime, datetime]:
        activity = self.activities[slot.activity]
        start, end = self.session_times(activity, slot.session)
        return session_interval(slot.date, start, end, self.zone)


def activity_info(source: Any) -> ActivityInfo:
    """The snapshot form of an activity, from a program-file spec or a stored row alike."""
    return ActivityInfo(
        code=source.code,
        category=source.category,
        am=_times(source.am_start, source.am_end),
        pm=_times(source.pm_start, source.pm_end),
        counts_toward_hours=source.counts_toward_hours,
        needs_supervision=source.needs_supervision,
        provides_supervision=source.provides_supervision,
        sees_patients=source.sees_patients,
        procedures=source.procedures,
    )


def _times(start: time | None, end: time | None) -> tuple[time, time] | None:
    return None if start is None or end is None else (start, end)


def rotation_info(source: Any) -> RotationInfo:
    """The snapshot form of a rotation, from a program-file spec or a stored row alike."""
    return RotationInfo(
        abbreviation=source.abbreviation,
        name=source.name,
        min_residents=source.min_residents,
        max_residents=source.max_residents,
        eligible_pgy=tuple(source.eligible_pgy),
        leave_allowed=source.leave_allowed,
        protected_education_exempt=source.protected_education_exempt,
        takes_call=source.takes_call,
    )


def duty_timeline(snapshot: ScheduleSnapshot) -> dict[str, Any]:
    """The duty timeline (duty-timeline.schema.json) of the snapshot's assignments and shifts.

    Slots whose activity counts toward hours become duties of their category's kind, with
    the activity's session times; resident call and night-float shifts, and faculty call
    (as home call), become duties too. Duties before the period stay in the timeline: the
    engine uses them for the rules that look back (rest, continuous duty), and the caller
    chooses the period so that the 28-day windows it reports are complete.
    """
    zone = snapshot.zone
    duties = [_slot_duty(snapshot, slot) for slot in snapshot.assignments]
    duties += [_shift_duty(shift, zone) for shift in snapshot.shifts]
    start, end = snapshot.period
    return {
        "timezone": snapshot.timezone,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "rules": snapshot.settings.duty_hours.model_dump(),
        "people": [_timeline_person(person) for person in snapshot.people.values()],
        "duties": [duty for duty in duties if duty is not None],
    }


def _timeline_person(person: PersonInfo) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": person.id, "name": person.name, "role": person.role}
    if person.pgy is not None:
        entry["pgy"] = person.pgy
    return entry


def _slot_duty(snapshot: ScheduleSnapshot, slot: SlotAssignment) -> dict[str, Any] | None:
    activity = snapshot.activities[slot.activity]
    kind = DUTY_KIND_OF_CATEGORY[activity.category]
    if not activity.counts_toward_hours or kind is None:
        return None
    start, end = snapshot.slot_interval(slot)
    return {
        "person": slot.person,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "kind": kind,
        "label": f"{activity.code} {slot.session}",
    }


def _shift_duty(shift: ShiftInfo, zone: ZoneInfo) -> dict[str, Any] | None:
    kind = SHIFT_DUTY_KINDS.get(shift.kind)
    if kind is None:  # an FMIT week is a faculty assignment span, not a timed duty
        return None
    return {
        "person": shift.person,
        "start": shift.start.astimezone(zone).isoformat(),
        "end": shift.end.astimezone(zone).isoformat(),
        "kind": kind,
        "label": shift.kind,
    }
