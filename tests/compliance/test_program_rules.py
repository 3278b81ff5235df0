"""The schedule validator: each program rule of ACGME.md on hand-built schedules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from residency.activities.kinds import ActivityCategory as Cat
from residency.compliance.program_rules import validate_schedule
from residency.core.calendar import Session, generate_blocks
from residency.core.schedule import (
    AbsenceInfo,
    ActivityInfo,
    PersonInfo,
    PlanEntry,
    RotationInfo,
    ScheduleSnapshot,
    ShiftInfo,
    SlotAssignment,
)
from residency.core.settings import ProgramSettings

ZONE = ZoneInfo("America/Chicago")
AM, PM = Session.AM, Session.PM
MONDAY = date(2026, 9, 14)
ACTIVITIES = {
    "C": ActivityInfo("C", Cat.CLINICAL, needs_supervision=True, sees_patients=True),
    "PROC": ActivityInfo(
        "PROC", Cat.CLINICAL, needs_supervision=True, sees_patients=True, procedures=True
    ),
    "AT": ActivityInfo("AT", Cat.CLINICAL, provides_supervision=True),
    "LEC": ActivityInfo("LEC", Cat.EDUCATION),
    "FMIT": ActivityInfo("FMIT", Cat.INPATIENT),
    "OFF": ActivityInfo("OFF", Cat.OFF, counts_toward_hours=False),
    "LV": ActivityInfo("LV", Cat.LEAVE, counts_toward_hours=False),
}
PEOPLE = {
    "r1": PersonInfo("r1", "Ivy (PGY-1)", "resident", 1),
    "r2": PersonInfo("r2", "Ike (PGY-1)", "resident", 1),
    "r3": PersonInfo("r3", "Sam (PGY-2)", "resident", 2),
    "r4": PersonInfo("r4", "Sue (PGY-3)", "resident", 3),
    "f1": PersonInfo("f1", "Dr One", "faculty", weekly_clinic_cap=2),
    "f2": PersonInfo("f2", "Dr Two", "faculty", weekly_clinic_cap=6),
}
ROTATIONS = {
    "CLIN": RotationInfo("CLIN", "Clinic", 0, 4),
    "FMIT": RotationInfo(
        "FMIT", "Inpatient", 0, 2, leave_allowed=False, protected_education_exempt=True
    ),
}


def snapshot(
    assignments: list[tuple[str, date, Session, str]] = (),  # type: ignore[assignment]
    *,
    shifts: list[ShiftInfo] = (),  # type: ignore[assignment]
    absences: list[AbsenceInfo] = (),  # type: ignore[assignment]
    plan: list[PlanEntry] = (),  # type: ignore[assignment]
    period: tuple[date, date] = (MONDAY, MONDAY + timedelta(days=6)),
    holidays: dict[date, str] | None = None,
    rotations: dict[str, RotationInfo] = ROTATIONS,
    **settings: object,
) -> ScheduleSnapshot:
    program_settings = ProgramSettings.model_validate({"covered_call_nights": [], **settings})
    return ScheduleSnapshot(
        timezone="America/Chicago",
        settings=program_settings,
        period=period,
        blocks=generate_blocks(2026, 3),
        activities=ACTIVITIES,
        people=PEOPLE,
        rotations=rotations,
        plan=list(plan),
        assignments=[SlotAssignment(*a) for a in assignments],
        shifts=list(shifts),
        absences=list(absences),
        holidays=holidays or {},
    )


def rules_of(found: list) -> list[str]:
    return [v.rule for v in found]


def night(person: str, day: date, kind: str = "faculty_call") -> ShiftInfo:
    start = datetime.combine(day, time(17), tzinfo=ZONE)
    return ShiftInfo(person, kind, start, start + timedelta(hours=15))


def test_supervision_ratio_counts_units() -> None:
    # two PGY-1s = 4 units -> 1 preceptor; add a PGY-2 -> 5 units -> 2 preceptors
    base = [("r1", MONDAY, AM, "C"), ("r2", MONDAY, AM, "C"), ("f1", MONDAY, AM, "AT")]
    assert validate_schedule(snapshot(base)) == []
    found = validate_schedule(snapshot([*base, ("r3", MONDAY, AM, "C")]))
    assert rules_of(found) == ["supervision_ratio"]
    assert (found[0].value, found[0].limit, found[0].person) == (1, 2, "")
    assert found[0].start == datetime(2026, 9, 14, 8, tzinfo=ZONE)
    procedures = [("r4", MONDAY, PM, "PROC"), ("f2", MONDAY, PM, "AT")]
    assert validate_schedule(snapshot(procedures)) == []
    found = validate_schedule(snapshot([*procedures, ("r3", MONDAY, PM, "C")]))
    assert (found[0].value, found[0].limit) == (1, 2)


def test_clinic_capacity_scales_with_the_day() -> None:
    crowd = [(f"r{i}", MONDAY, AM, "C") for i in range(1, 5)] + [
        ("f1", MONDAY, AM, "AT"),
        ("f2", MONDAY, AM, "AT"),
    ]
    assert validate_schedule(snapshot(crowd, clinic_rooms=4)) == []
    found = validate_schedule(snapshot(crowd, clinic_rooms=3))
    assert rules_of(found) == ["clinic_capacity"]
    assert (found[0].value, found[0].limit) == (4, 3)
    reduced = validate_schedule(snapshot(crowd, holidays={MONDAY: "reduced"}))  # 6 x 0.25
    assert [(v.value, v.limit) for v in reduced] == [(4, 1)]
    closed = validate_schedule(snapshot(crowd[:1] + crowd[-1:], holidays={MONDAY: "closed"}))
    assert [(v.rule, v.limit) for v in closed] == [("clinic_capacity", 0)]


def test_rotation_capacity_per_block_and_half() -> None:
    period = (date(2026, 7, 2), date(2026, 7, 29))  # block 1
    full = [PlanEntry("r1", 1, "FMIT"), PlanEntry("r2", 1, "FMIT"), PlanEntry("r3", 1, "CLIN")]
    assert validate_schedule(snapshot(plan=full, period=period)) == []
    over = validate_schedule(snapshot(plan=[*full, PlanEntry("r4", 1, "FMIT")], period=period))
    assert [(v.rule, v.value, v.limit) for v in over] == [("rotation_capacity", 3, 2)]
    needs_one = {**ROTATIONS, "FMIT": replace(ROTATIONS["FMIT"], min_residents=1)}
    under = validate_schedule(
        snapshot(plan=[PlanEntry("r3", 1, "CLIN")], period=period, rotations=needs_one)
    )
    assert [(v.value, v.limit) for v in under] == [(0, 1)]
    halves = [
        PlanEntry("r1", 1, "FMIT", half=1),
        PlanEntry("r2", 1, "CLIN", half=1),
        PlanEntry("r2", 1, "FMIT", half=2),
        PlanEntry("r1", 1, "CLIN", half=2),
    ]
    assert validate_schedule(snapshot(plan=halves, period=period)) == []


def test_protected_education_spares_exempt_rotations() -> None:
    wednesday = MONDAY + timedelta(days=2)
    plan = [PlanEntry("r1", 3, "CLIN"), PlanEntry("r2", 3, "FMIT")]
    work = [("r1", wednesday, PM, "C"), ("f1", wednesday, PM, "AT"), ("r2", wednesday, PM, "FMIT")]
    found = validate_schedule(snapshot(work, plan=plan))
    assert [(v.rule, v.person) for v in found] == [("protected_education", "r1")]
    assert validate_schedule(snapshot([("r1", wednesday, PM, "LEC")], plan=plan)) == []
    off = validate_schedule(snapshot(work, plan=plan, protected_education={"enabled": False}))
    assert off == []


def test_leave_eligibility() -> None:
    leave = AbsenceInfo("r1", "vacation", MONDAY, MONDAY + timedelta(days=1))
    plan = [PlanEntry("r1", 3, "CLIN")]
    assert (
        validate_schedule(snapshot([("r1", MONDAY, AM, "LV")], absences=[leave], plan=plan)) == []
    )
    worked = validate_schedule(snapshot([("r1", MONDAY, AM, "LEC")], absences=[leave], plan=plan))
    assert [(v.rule, v.start.date()) for v in worked] == [("leave_eligibility", MONDAY)]
    on_fmit = validate_schedule(snapshot(absences=[leave], plan=[PlanEntry("r1", 3, "FMIT")]))
    assert rules_of(on_fmit) == ["leave_eligibility", "leave_eligibility"]
    overridden = replace(leave, override_reason="family emergency")
    assert (
        validate_schedule(snapshot(absences=[overridden], plan=[PlanEntry("r1", 3, "FMIT")])) == []
    )
    requested = AbsenceInfo("r1", "vacation", MONDAY, MONDAY, status="requested")
    assert (
        validate_schedule(
            snapshot([("r1", MONDAY, AM, "C"), ("f1", MONDAY, AM, "AT")], absences=[requested])
        )
        == []
    )


def fmit(person: str, friday: date) -> ShiftInfo:
    start = datetime.combine(friday, time(0), tzinfo=ZONE)
    return ShiftInfo(person, "fmit_week", start, start + timedelta(days=7))


def test_fmit_week_rules() -> None:
    friday = date(2026, 9, 11)
    period = (friday, friday + timedelta(days=20))
    assert validate_schedule(snapshot(shifts=[fmit("f1", friday)], period=period)) == []
    back_to_back = validate_schedule(
        snapshot(shifts=[fmit("f1", friday), fmit("f1", friday + timedelta(days=7))], period=period)
    )
    assert rules_of(back_to_back) == ["fmit_week"]
    clinic = [
        ("f1", friday + timedelta(days=3), AM, "AT"),
        ("f1", friday + timedelta(days=7), PM, "AT"),
    ]
    found = validate_schedule(snapshot(clinic, shifts=[fmit("f1", friday)], period=period))
    assert [v.rule for v in found] == ["fmit_week", "fmit_week"]
    assert "recovery Friday" in found[1].message
    weekday_call = validate_schedule(
        snapshot(
            shifts=[fmit("f1", friday), night("f1", friday + timedelta(days=4))], period=period
        )
    )
    assert rules_of(weekday_call) == ["fmit_week"]
    weekend_call = validate_schedule(
        snapshot(
            shifts=[fmit("f1", friday), night("f1", friday + timedelta(days=1))], period=period
        )
    )
    assert weekend_call == []
    saturday = fmit("f1", friday + timedelta(days=1))
    assert rules_of(validate_schedule(snapshot(shifts=[saturday], period=period))) == ["fmit_week"]


def test_faculty_call_coverage_and_post_call() -> None:
    nights = ["sunday", "monday", "tuesday", "wednesday", "thursday"]
    week = [
        night("f1" if i % 2 else "f2", MONDAY - timedelta(days=1) + timedelta(days=i))
        for i in range(5)
    ]
    period = (MONDAY - timedelta(days=1), MONDAY + timedelta(days=5))
    assert validate_schedule(snapshot(shifts=week, period=period, covered_call_nights=nights)) == []
    missing = validate_schedule(
        snapshot(shifts=week[:-1], period=period, covered_call_nights=nights)
    )
    assert [(v.rule, v.value, v.start.date()) for v in missing] == [
        ("faculty_call_coverage", 0, MONDAY + timedelta(days=3))
    ]
    doubled = validate_schedule(
        snapshot(shifts=[*week, night("f1", MONDAY)], period=period, covered_call_nights=nights)
    )
    assert [(v.rule, v.value) for v in doubled] == [("faculty_call_coverage", 2)]
    post = validate_schedule(
        snapshot(
            [("f2", MONDAY, AM, "AT"), ("f2", MONDAY, PM, "AT")],
            shifts=[night("f2", MONDAY - timedelta(days=1))],
        )
    )
    assert [(v.rule, v.person, v.start.hour) for v in post] == [("post_call", "f2", 8)]


def test_faculty_clinic_cap() -> None:
    sessions = [("f1", MONDAY + timedelta(days=d), AM, "AT") for d in range(3)]
    found = validate_schedule(snapshot(sessions))
    assert [(v.rule, v.person, v.value, v.limit) for v in found] == [
        ("faculty_clinic_cap", "f1", 3, 2)
    ]
    assert validate_schedule(snapshot(sessions[:2])) == []


@pytest.mark.parametrize(
    ("days", "expected"), [(20, []), (21, [("warning", 21)]), (28, [("violation", 28)])]
)
def test_away_days_warn_then_flag(days: int, expected: list) -> None:
    start = date(2026, 8, 3)
    leave = [AbsenceInfo("r3", "vacation", start, start + timedelta(days=days - 1))]
    conference = AbsenceInfo("r3", "conference", date(2027, 1, 4), date(2027, 1, 8))
    found = validate_schedule(
        snapshot(absences=[*leave, conference], period=(start, start + timedelta(days=40)))
    )
    assert [(v.severity, v.value) for v in found if v.rule == "away_days"] == expected
