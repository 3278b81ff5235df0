"""The schedule validator: the program rules of ACGME.md ("Program rules" table).

Each rule is one function over a `ScheduleSnapshot` returning findings in the same shape
as the duty-hour engine (`Violation`). Slot- and night-level findings that concern no
single person carry an empty `person`; their `start`/`end` locate the cells concerned.
Only dates inside the snapshot's period are judged.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

from residency.compliance.result import Severity, Violation
from residency.core.calendar import FMIT_WEEK_START, Session, iter_days, session_interval
from residency.core.schedule import ScheduleSnapshot, ShiftInfo, SlotAssignment
from residency.core.settings import weekday_index

Slot = tuple[date, Session]
LEVEL_FACTOR_CLOSED = 0.0


def validate_schedule(snapshot: ScheduleSnapshot) -> list[Violation]:
    """Every program-rule finding, in report order (person, start, rule)."""
    findings = [finding for rule in PROGRAM_RULES for finding in rule(snapshot)]
    return sorted(findings, key=lambda v: v.sort_key)


# --- helpers -------------------------------------------------------------------------


def _finding(
    rule: str,
    person: str,
    span: tuple[datetime, datetime],
    value: float,
    limit: float,
    message: str,
    severity: Severity = "violation",
) -> Violation:
    return Violation(
        rule=rule,
        person=person,
        severity=severity,
        start=span[0],
        end=span[1],
        value=round(float(value), 2),
        limit=round(float(limit), 2),
        message=message,
    )


def _in_period(snapshot: ScheduleSnapshot, day: date) -> bool:
    return snapshot.period[0] <= day <= snapshot.period[1]


def _day_span(snapshot: ScheduleSnapshot, first: date, last: date) -> tuple[datetime, datetime]:
    zone = snapshot.zone
    return (
        datetime.combine(first, time(0), tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone),
    )


def _session_span(snapshot: ScheduleSnapshot, slot: Slot) -> tuple[datetime, datetime]:
    sessions = snapshot.settings.sessions
    start, end = (
        (sessions.am_start, sessions.am_end)
        if slot[1] is Session.AM
        else (sessions.pm_start, sessions.pm_end)
    )
    return session_interval(slot[0], start, end, snapshot.zone)


def _slots(snapshot: ScheduleSnapshot) -> dict[Slot, list[SlotAssignment]]:
    by_slot: dict[Slot, list[SlotAssignment]] = defaultdict(list)
    for slot in snapshot.assignments:
        if _in_period(snapshot, slot.date):
            by_slot[(slot.date, slot.session)].append(slot)
    return by_slot


def _local_date(snapshot: ScheduleSnapshot, moment: datetime) -> date:
    return moment.astimezone(snapshot.zone).date()


def _shifts(snapshot: ScheduleSnapshot, kind: str) -> list[ShiftInfo]:
    return [shift for shift in snapshot.shifts if shift.kind == kind]


def _clinic_slots_of(snapshot: ScheduleSnapshot, person: str) -> Iterator[SlotAssignment]:
    for slot in snapshot.assignments:
        if slot.person == person and snapshot.activities[slot.activity].is_clinic:
            yield slot


# --- the rules -----------------------------------------------------------------------


def supervision_ratio(snapshot: ScheduleSnapshot) -> list[Violation]:
    """`supervision_ratio` (ACGME.md program rules; CPR VI.A.2 supervision).

    In every clinic session the faculty providing supervision must number at least
    ceil(units / units_per_supervisor): a PGY-1 is 2 units, a PGY-2+ 1 unit, and a
    resident doing procedures 4 units.
    """
    rules = snapshot.settings.supervision
    findings = []
    for slot, holders in sorted(_slots(snapshot).items()):
        units = supervisors = 0
        for held in holders:
            activity = snapshot.activities[held.activity]
            person = snapshot.people[held.person]
            if activity.provides_supervision:
                supervisors += 1
            elif activity.needs_supervision and person.is_resident:
                if activity.procedures:
                    units += rules.procedure_units
                elif person.pgy == 1:
                    units += rules.pgy1_units
                else:
                    units += rules.senior_units
        required = math.ceil(units / rules.units_per_supervisor)
        if supervisors < required:
            findings.append(
                _finding(
                    "supervision_ratio",
                    "",
                    _session_span(snapshot, slot),
                    supervisors,
                    required,
                    f"{slot[0]} {slot[1]}: {units} supervision units need {required} "
                    f"preceptor(s), {supervisors} scheduled",
                )
            )
    return findings


def clinic_capacity(snapshot: ScheduleSnapshot) -> list[Violation]:
    """`clinic_capacity` (ACGME.md program rules).

    People seeing patients (not precepting) in one clinic session must not exceed the
    rooms, scaled by the day's operating level: reduced days x 0.25, closed days x 0.
    """
    findings = []
    for slot, holders in sorted(_slots(snapshot).items()):
        seeing = sum(
            1
            for held in holders
            if snapshot.activities[held.activity].sees_patients
            and not snapshot.activities[held.activity].provides_supervision
        )
        capacity = _clinic_capacity(snapshot, slot[0])
        if seeing > capacity:
            findings.append(
                _finding(
                    "clinic_capacity",
                    "",
                    _session_span(snapshot, slot),
                    seeing,
                    capacity,
                    f"{slot[0]} {slot[1]}: {seeing} people seeing patients, {capacity} rooms",
                )
            )
    return findings


def _clinic_capacity(snapshot: ScheduleSnapshot, day: date) -> int:
    level = snapshot.holidays.get(day)
    factor = {
        None: 1.0,
        "reduced": snapshot.settings.reduced_day_capacity_factor,
        "closed": LEVEL_FACTOR_CLOSED,
    }[level]
    return math.floor(snapshot.settings.clinic_rooms * factor)


def rotation_capacity(snapshot: ScheduleSnapshot) -> list[Violation]:
    """`rotation_capacity` (ACGME.md program rules).

    The residents on a rotation in a block (in each half, for half-block entries) must
    be within the rotation's min..max.
    """
    findings = []
    for block in snapshot.blocks:
        if block.number == 0 or not (
            block.start <= snapshot.period[1] and block.end >= snapshot.period[0]
        ):
            continue
        for half in (1, 2):
            counts = Counter(
                entry.rotation
                for entry in snapshot.plan
                if entry.block == block.number and entry.half in (0, half)
            )
            for rotation in snapshot.rotations.values():
                count = counts.get(rotation.abbreviation, 0)
                bound = (
                    rotation.max_residents
                    if count > rotation.max_residents
                    else rotation.min_residents
                    if count < rotation.min_residents
                    else None
                )
                if bound is None or (half == 2 and _same_halves(snapshot, block.number)):
                    continue
                findings.append(
                    _finding(
                        "rotation_capacity",
                        "",
                        _day_span(snapshot, block.start, block.end),
                        count,
                        bound,
                        f"block {block.number}: {count} resident(s) on {rotation.name}, "
                        f"allowed {rotation.min_residents}..{rotation.max_residents}",
                    )
                )
    return findings


def _same_halves(snapshot: ScheduleSnapshot, block: int) -> bool:
    return all(entry.half == 0 for entry in snapshot.plan if entry.block == block)


def protected_education(snapshot: ScheduleSnapshot) -> list[Violation]:
    """`protected_education` (ACGME.md program rules; CPR VI.A protected didactics).

    The program's protected didactics session (Wednesday PM by default) carries no
    clinical work for residents, except on rotations marked exempt.
    """
    setting = snapshot.settings.protected_education
    if not setting.enabled:
        return []
    weekday, session = weekday_index(setting.weekday), Session(setting.session)
    findings = []
    for slot in snapshot.assignments:
        person = snapshot.people[slot.person]
        activity = snapshot.activities[slot.activity]
        if not (
            person.is_resident
            and slot.session is session
            and slot.date.weekday() == weekday
            and _in_period(snapshot, slot.date)
            and activity.category in ("clinical", "inpatient")
        ):
            continue
        rotation = snapshot.rotation_on(slot.person, slot.date)
        if rotation is not None and rotation.protected_education_exempt:
            continue
        findings.append(
            _finding(
                "protected_education",
                slot.person,
                snapshot.slot_interval(slot),
                1,
                0,
                f"{person.name}: {activity.code} during protected didactics on {slot.date}",
            )
        )
    return findings


def leave_eligibility(snapshot: ScheduleSnapshot) -> list[Violation]:
    """`leave_eligibility` (ACGME.md program rules).

    Approved leave falls only on rotations that allow leave (unless a coordinator
    override gives a reason), and no activity of any kind is scheduled during it.
    """
    findings = []
    approved = [a for a in snapshot.absences if a.status == "approved"]
    work_days = _work_days(snapshot) if approved else {}
    for absence in approved:
        person = snapshot.people[absence.person]
        for day in absence.days():
            if not _in_period(snapshot, day):
                continue
            span = _day_span(snapshot, day, day)
            if day in work_days.get(absence.person, set()):
                findings.append(
                    _finding(
                        "leave_eligibility",
                        absence.person,
                        span,
                        1,
                        0,
                        f"{person.name} is scheduled to work on {day} during approved leave",
                    )
                )
            rotation = snapshot.rotation_on(absence.person, day) if person.is_resident else None
            if rotation is not None and not rotation.leave_allowed and not absence.override_reason:
                findings.append(
                    _finding(
                        "leave_eligibility",
                        absence.person,
                        span,
                        1,
                        0,
                        f"{person.name} has leave on {day} during {rotation.name}, "
                        "which does not allow leave",
                    )
                )
    return findings


def _work_days(snapshot: ScheduleSnapshot) -> dict[str, set[date]]:
    days: dict[str, set[date]] = defaultdict(set)
    for slot in snapshot.assignments:
        if snapshot.activities[slot.activity].is_work:
            days[slot.person].add(slot.date)
    for shift in snapshot.shifts:
        first = _local_date(snapshot, shift.start)
        last = _local_date(snapshot, shift.end - timedelta(microseconds=1))
        days[shift.person].update(iter_days(first, last))
    return days


def fmit_week(snapshot: ScheduleSnapshot) -> list[Violation]:
    """`fmit_week` (ACGME.md program rules).

    A faculty FMIT week runs Friday to Thursday; it carries no clinic and no weekday
    call; one person never has back-to-back FMIT weeks; the Friday after it is a
    recovery day without clinic.
    """
    findings: list[Violation] = []
    weeks_by_person: dict[str, list[date]] = defaultdict(list)
    for shift in _shifts(snapshot, "fmit_week"):
        first = _local_date(snapshot, shift.start)
        last = _local_date(snapshot, shift.end - timedelta(microseconds=1))
        if not (_in_period(snapshot, first) or _in_period(snapshot, last)):
            continue
        weeks_by_person[shift.person].append(first)
        findings += _fmit_week_findings(snapshot, shift.person, first, last)
    for person, fridays in weeks_by_person.items():
        fridays.sort()
        for earlier, later in itertools.pairwise(fridays):
            if (later - earlier).days <= 7:
                findings.append(
                    _finding(
                        "fmit_week",
                        person,
                        _day_span(snapshot, earlier, later + timedelta(days=6)),
                        2,
                        1,
                        f"{snapshot.people[person].name} has back-to-back FMIT weeks "
                        f"starting {earlier} and {later}",
                    )
                )
    return findings


def _fmit_week_findings(
    snapshot: ScheduleSnapshot, person: str, first: date, last: date
) -> list[Violation]:
    name = snapshot.people[person].name
    span = _day_span(snapshot, first, last)
    if first.weekday() != FMIT_WEEK_START or (last - first).days != 6:
        return [
            _finding(
                "fmit_week",
                person,
                span,
                (last - first).days + 1,
                7,
                f"{name}'s FMIT week {first}..{last} is not Friday to Thursday",
            )
        ]
    findings = []
    recovery = last + timedelta(days=1)
    for slot in _clinic_slots_of(snapshot, person):
        if first <= slot.date <= last or slot.date == recovery:
            what = "recovery Friday" if slot.date == recovery else "FMIT week"
            findings.append(
                _finding(
                    "fmit_week",
                    person,
                    snapshot.slot_interval(slot),
                    1,
                    0,
                    f"{name} has clinic ({slot.activity}) on {slot.date} during the {what}",
                )
            )
    for call in _shifts(snapshot, "faculty_call"):
        night = _local_date(snapshot, call.start)
        if call.person == person and first <= night <= last and night.weekday() < 4:
            findings.append(
                _finding(
                    "fmit_week",
                    person,
                    (call.start, call.end),
                    1,
                    0,
                    f"{name} has weekday call on {night} during an FMIT week",
                )
            )
    return findings


def faculty_call_coverage(snapshot: ScheduleSnapshot) -> list[Violation]:
    """`faculty_call_coverage` (ACGME.md program rules).

    Exactly one faculty member is on overnight call every night the program covers
    (Sunday to Thursday by default; Friday and Saturday belong to the FMIT attending).
    """
    covered = {weekday_index(name) for name in snapshot.settings.covered_call_nights}
    on_call = Counter(
        _local_date(snapshot, shift.start) for shift in _shifts(snapshot, "faculty_call")
    )
    findings = []
    for night in iter_days(*snapshot.period):
        if night.weekday() not in covered or on_call[night] == 1:
            continue
        findings.append(
            _finding(
                "faculty_call_coverage",
                "",
                _day_span(snapshot, night, night),
                on_call[night],
                1,
                f"{night}: {on_call[night]} faculty on overnight call, exactly 1 required",
            )
        )
    return findings


def post_call(snapshot: ScheduleSnapshot) -> list[Violation]:
    """`post_call` (ACGME.md program rules).

    After overnight call, the next day's AM is post-call for faculty: no clinic. (For
    residents the rest after call is `rest_after_24`, checked by the duty-hour engine.)
    """
    clinic = {
        (slot.person, slot.date)
        for slot in snapshot.assignments
        if slot.session is Session.AM and snapshot.activities[slot.activity].is_clinic
    }
    findings = []
    for call in _shifts(snapshot, "faculty_call"):
        morning = _local_date(snapshot, call.start) + timedelta(days=1)
        if (call.person, morning) in clinic and _in_period(snapshot, morning):
            findings.append(
                _finding(
                    "post_call",
                    call.person,
                    _session_span(snapshot, (morning, Session.AM)),
                    1,
                    0,
                    f"{snapshot.people[call.person].name} has clinic on the post-call "
                    f"morning {morning}",
                )
            )
    return findings


def faculty_clinic_cap(snapshot: ScheduleSnapshot) -> list[Violation]:
    """`faculty_clinic_cap` (ACGME.md program rules).

    A faculty member's clinic sessions in a week (Monday to Sunday) stay within the
    weekly cap of their role.
    """
    weekly: Counter[tuple[str, date]] = Counter()
    for slot in snapshot.assignments:
        person = snapshot.people[slot.person]
        if person.is_resident or not snapshot.activities[slot.activity].is_clinic:
            continue
        if _in_period(snapshot, slot.date):
            weekly[(slot.person, slot.date - timedelta(days=slot.date.weekday()))] += 1
    findings = []
    for (person_id, monday), count in sorted(weekly.items()):
        cap = snapshot.people[person_id].weekly_clinic_cap
        if cap is not None and count > cap:
            findings.append(
                _finding(
                    "faculty_clinic_cap",
                    person_id,
                    _day_span(snapshot, monday, monday + timedelta(days=6)),
                    count,
                    cap,
                    f"{snapshot.people[person_id].name}: {count} clinic sessions in the week "
                    f"of {monday}, cap {cap}",
                )
            )
    return findings


AWAY_KINDS = frozenset({"vacation", "sick", "parental", "medical", "bereavement", "other"})


def away_days(snapshot: ScheduleSnapshot) -> list[Violation]:
    """`away_days` (ACGME.md program rules; ABFM leave-of-absence policy).

    A resident's days away (approved leave other than conferences) in the academic
    year: a warning from `away_days_warn` (21) days, a violation from `away_days_flag`
    (28) days, when training may have to be extended.
    """
    days: dict[str, set[date]] = defaultdict(set)
    for absence in snapshot.absences:
        if absence.status == "approved" and absence.kind in AWAY_KINDS:
            days[absence.person].update(absence.days())
    settings = snapshot.settings
    findings = []
    for person_id, away in sorted(days.items()):
        person = snapshot.people[person_id]
        if not person.is_resident or len(away) < settings.away_days_warn:
            continue
        flagged = len(away) >= settings.away_days_flag
        limit = settings.away_days_flag if flagged else settings.away_days_warn
        findings.append(
            _finding(
                "away_days",
                person_id,
                _day_span(snapshot, min(away), max(away)),
                len(away),
                limit,
                f"{person.name} has {len(away)} days away this year"
                + (" — training may need to be extended" if flagged else ""),
                severity="violation" if flagged else "warning",
            )
        )
    return findings


PROGRAM_RULES: tuple[Callable[[ScheduleSnapshot], list[Violation]], ...] = (
    supervision_ratio,
    clinic_capacity,
    rotation_capacity,
    protected_education,
    leave_eligibility,
    fmit_week,
    faculty_call_coverage,
    post_call,
    faculty_clinic_cap,
    away_days,
)
