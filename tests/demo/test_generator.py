"""The demo program generator: sizes, determinism, a valid plan, leave, holidays, ACGME."""

from __future__ import annotations

import math
import time as clock
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from residency.activities.kinds import ActivityCategory
from residency.compliance.engine import check_timeline
from residency.compliance.model import parse_timeline
from residency.compliance.program_rules import (
    away_days,
    clinic_capacity,
    leave_eligibility,
    protected_education,
    rotation_capacity,
)
from residency.core.calendar import (
    Session,
    academic_year_bounds,
    federal_holidays,
    generate_blocks,
    iter_days,
    weekday_number,
)
from residency.core.program_file import ActivitySpec, PersonSpec, ProgramFile, RotationSpec
from residency.core.schedule import (
    AbsenceInfo,
    ActivityInfo,
    PersonInfo,
    PlanEntry,
    RotationInfo,
    ScheduleSnapshot,
    ShiftInfo,
    SlotAssignment,
    duty_timeline,
)
from residency.core.settings import ProgramSettings
from residency.demo.generator import (
    HEAVY,
    build_demo_program,
    class_sizes,
    faculty_roles,
    program_problems,
    sequence_penalty,
)
from residency.people.kinds import DEFAULT_WEEKLY_CLINIC_CAP, FacultyRole

SIZES = [(18, 13), (6, 5), (54, 39), (120, 60)]
EXEMPT = {"FMIT", "NF", "ICU"}
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@cache
def demo(residents: int = 18, faculty: int = 13, seed: int = 2026, year: int = 2026) -> ProgramFile:
    return build_demo_program(residents, faculty, seed=seed, academic_year=year)


def residents_of(doc: ProgramFile) -> list[PersonSpec]:
    return [p for p in doc.people if p.role == "resident"]


def plan_grid(doc: ProgramFile) -> dict[str, dict[int, str]]:
    grid: dict[str, dict[int, str]] = defaultdict(dict)
    for entry in doc.rotation_plan:
        grid[entry.person][entry.block] = entry.rotation
    return grid


# --- sizes and people ----------------------------------------------------------------


def test_default_size_counts() -> None:
    doc = demo()
    residents = residents_of(doc)
    faculty = [p for p in doc.people if p.role == "faculty"]
    assert len(residents) == 18
    assert Counter(p.pgy for p in residents) == {1: 6, 2: 6, 3: 6}
    assert len(faculty) == 13
    roles = Counter(p.faculty_role for p in faculty)
    assert roles == {
        FacultyRole.PD: 1,
        FacultyRole.APD: 1,
        FacultyRole.OIC: 1,
        FacultyRole.DEPT_CHIEF: 1,
        FacultyRole.SPORTS_MED: 1,
        FacultyRole.CORE: 6,
        FacultyRole.ADJUNCT: 2,
    }
    assert all(p.weekly_clinic_cap == DEFAULT_WEEKLY_CLINIC_CAP[p.faculty_role] for p in faculty)
    assert 10 <= len(doc.rotations) <= 14
    assert doc.timezone == "America/Chicago"
    assert doc.block_weekday == "thursday"
    assert doc.academic_year == 2026
    assert doc.settings == ProgramSettings()


def test_people_have_unique_ids_names_and_demo_emails() -> None:
    doc = demo(120, 60)
    ids = [p.id for p in doc.people]
    names = [p.name for p in doc.people]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)
    for person in doc.people:
        first, last = person.name.split(" ")
        assert person.email == f"{first.lower()}.{last.lower()}@demo-fm.example"
    assert {p.id for p in residents_of(demo())} >= {"r1-01", "r2-06", "r3-01"}
    assert [p.id for p in doc.people if p.role == "faculty"][:2] == ["f-01", "f-02"]


@pytest.mark.parametrize("residents", [0, 1, 2, 4, 17, 18, 19, 20, 300])
def test_residents_split_evenly_across_pgy(residents: int) -> None:
    sizes = class_sizes(residents)
    assert sum(sizes.values()) == residents
    assert max(sizes.values()) - min(sizes.values()) <= 1


@pytest.mark.parametrize("count", [0, 1, 3, 5, 6, 7, 13, 20, 39, 60, 100])
def test_faculty_roles_named_first_then_core_and_adjunct(count: int) -> None:
    roles = faculty_roles(count)
    named = [
        FacultyRole.PD,
        FacultyRole.APD,
        FacultyRole.OIC,
        FacultyRole.DEPT_CHIEF,
        FacultyRole.SPORTS_MED,
    ]
    assert len(roles) == count
    assert roles[: min(count, 5)] == named[: min(count, 5)]
    adjuncts = roles.count(FacultyRole.ADJUNCT)
    if count >= 7:
        assert adjuncts >= 1
        assert abs(adjuncts - 0.15 * count) <= 1
    assert roles.count(FacultyRole.CORE) == count - min(count, 5) - adjuncts


def test_sizes_out_of_range_are_rejected() -> None:
    with pytest.raises(ValueError):
        build_demo_program(residents=-1)
    with pytest.raises(ValueError):
        build_demo_program(faculty=5000)


# --- determinism and round trip ------------------------------------------------------


def test_same_seed_gives_identical_program() -> None:
    first = build_demo_program(seed=7).model_dump_json()
    assert build_demo_program(seed=7).model_dump_json() == first


def test_different_seed_gives_different_program() -> None:
    assert (
        build_demo_program(seed=1).model_dump_json() != build_demo_program(seed=2).model_dump_json()
    )


@pytest.mark.parametrize(("residents", "faculty"), SIZES)
def test_round_trip_through_json(residents: int, faculty: int) -> None:
    doc = demo(residents, faculty)
    assert ProgramFile.model_validate_json(doc.model_dump_json()) == doc


def test_fast_even_for_a_large_program() -> None:
    timings = []
    for _ in range(3):
        start = clock.perf_counter()
        build_demo_program(residents=300, faculty=100, seed=11)
        timings.append(clock.perf_counter() - start)
    assert min(timings) < 0.5


# --- activities and rotations --------------------------------------------------------


def test_activity_catalogue() -> None:
    acts = {a.code: a for a in demo().activities}
    required = "C AT PROC LEC FMIT NF CALL PC LV OFF HOL ADM SM PEDS OB EM ICU SURG GERI BH ELEC"
    assert set(required.split()) <= set(acts)
    assert acts["C"].needs_supervision and acts["C"].sees_patients
    assert acts["AT"].provides_supervision and acts["AT"].category == ActivityCategory.CLINICAL
    assert acts["PROC"].procedures and acts["PROC"].sees_patients
    assert acts["LEC"].category == ActivityCategory.EDUCATION
    assert acts["FMIT"].category == ActivityCategory.INPATIENT
    assert (acts["FMIT"].am_start.hour, acts["FMIT"].pm_end.hour) == (6, 18)
    assert acts["NF"].category == ActivityCategory.NIGHT_FLOAT
    assert (acts["NF"].pm_start.hour, acts["NF"].pm_end.hour) == (19, 7)
    assert acts["NF"].am_start is None
    assert (acts["EM"].pm_start.hour, acts["EM"].pm_end.hour) == (12, 20)
    assert acts["CALL"].category == ActivityCategory.CALL
    assert acts["ADM"].counts_toward_hours
    assert acts["SM"].sees_patients
    for code, category in (("PC", "off"), ("LV", "leave"), ("OFF", "off"), ("HOL", "off")):
        assert acts[code].category == category
        assert not acts[code].counts_toward_hours
        red, green, blue = (int(acts[code].color[i : i + 2], 16) for i in (1, 3, 5))
        assert red == green == blue, f"{code} should be grey"
    colors = [a.color.lower() for a in acts.values()]
    assert len(set(colors)) == len(colors)


def test_rotation_flags_and_patterns() -> None:
    doc = demo()
    rotations = {r.abbreviation: r for r in doc.rotations}
    codes = {a.code: a for a in doc.activities}
    assert {"ORI", "FMIT", "NF", "CLIN", "PEDS", "OB", "EM", "ICU", "SURG", "SM"} <= set(rotations)
    assert {r.abbreviation for r in doc.rotations if r.heavy} == HEAVY == {"FMIT", "NF"}
    assert {r.abbreviation for r in doc.rotations if not r.leave_allowed} == EXEMPT
    assert {r.abbreviation for r in doc.rotations if r.protected_education_exempt} == EXEMPT
    assert rotations["NF"].eligible_pgy == [2, 3]
    assert rotations["ICU"].eligible_pgy == [2, 3]
    assert rotations["SURG"].eligible_pgy == [1]
    assert rotations["NF"].weekly_pattern["sunday"].PM == "NF"
    assert rotations["NF"].weekly_pattern["friday"].PM == "OFF"
    takes_call = {r.abbreviation for r in doc.rotations if r.takes_call}
    weekends_off = {
        r.abbreviation
        for r in doc.rotations
        if all(r.weekly_pattern[d].AM == r.weekly_pattern[d].PM == "OFF" for d in WEEK[5:])
    }
    assert takes_call == weekends_off - {"ORI"}  # weekend call needs the weekend free
    assert takes_call >= {"CLIN", "PEDS", "OB", "EM", "SURG", "SM", "GERI", "BH", "ELEC"}
    assert all(r.flex_activity is None for r in doc.rotations)
    for rotation in doc.rotations:
        assert set(rotation.weekly_pattern) == set(WEEK)
        if not rotation.protected_education_exempt:
            assert rotation.weekly_pattern["wednesday"].PM == "LEC", rotation.abbreviation
        assert rotation.min_residents <= rotation.max_residents
    for code in ("CLIN", "PEDS", "GERI", "BH", "ELEC"):
        cells = rotations[code].weekly_pattern.values()
        assert any(codes[c].sees_patients for cell in cells for c in (cell.AM, cell.PM))


def _pattern_duties(doc: ProgramFile, rotation: RotationSpec, days: int) -> list[dict]:
    """Duties of one resident repeating the rotation's week for `days` from block 1."""
    snapshot = _empty_snapshot(doc)
    snapshot.people = {"x": PersonInfo("x", "X", "resident", 2)}
    start = snapshot.blocks[-13].start
    for day in iter_days(start, start + timedelta(days=days - 1)):
        cell = rotation.weekly_pattern[WEEK[day.weekday()]]
        for session, code in ((Session.AM, cell.AM), (Session.PM, cell.PM)):
            snapshot.assignments.append(SlotAssignment("x", day, session, code))
    return duty_timeline(snapshot)["duties"]


def _hours(duties: list[dict]) -> float:
    return (
        sum(
            (datetime.fromisoformat(d["end"]) - datetime.fromisoformat(d["start"])).total_seconds()
            for d in duties
        )
        / 3600
    )


@pytest.mark.parametrize("code", [r.abbreviation for r in demo().rotations])
def test_each_weekly_pattern_is_acgme_feasible_on_its_own(code: str) -> None:
    doc = demo()
    rotation = next(r for r in doc.rotations if r.abbreviation == code)
    week = _pattern_duties(doc, rotation, 7)
    assert _hours(week) <= 72
    duties = _pattern_duties(doc, rotation, 56)
    first = generate_blocks(doc.academic_year, weekday_number(doc.block_weekday))[-13].start
    timeline = parse_timeline(
        {
            "timezone": doc.timezone,
            "period": {"start": first.isoformat(), "end": (first + timedelta(55)).isoformat()},
            "people": [{"id": "x", "role": "resident", "pgy": 2}],
            "duties": duties,
        }
    )
    result = check_timeline(timeline)
    assert result.violations == (), [v.message for v in result.violations]


# --- the rotation plan ---------------------------------------------------------------


def assert_plan_valid(doc: ProgramFile) -> None:
    rotations = {r.abbreviation: r for r in doc.rotations}
    residents = {p.id: p for p in residents_of(doc)}
    grid = plan_grid(doc)
    blocks = generate_blocks(doc.academic_year, weekday_number(doc.block_weekday))
    numbers = [b.number for b in blocks]
    assert len(doc.rotation_plan) == len(residents) * len(numbers)
    assert set(grid) == set(residents)
    for person, row in grid.items():
        assert sorted(row) == numbers
        pgy = residents[person].pgy
        assert all(pgy in rotations[code].eligible_pgy for code in row.values())
    for entry in doc.rotation_plan:
        assert entry.half == 0
        assert (entry.rotation == "ORI") == (entry.block == 0)
        assert entry.locked == (entry.block == 0)
    for number in numbers:
        if number == 0:  # orientation: everyone, and no capacity rule
            continue
        counts = Counter(row[number] for row in grid.values())
        for code, rotation in rotations.items():
            low, high = rotation.min_residents, rotation.max_residents
            assert low <= counts[code] <= high, (number, code, counts[code])
    assert all(r.max_residents <= 99 for r in doc.rotations)
    for requirement in doc.requirements:
        high = 14 if requirement.max_blocks is None else requirement.max_blocks
        for person, row in grid.items():
            if residents[person].pgy == requirement.pgy:
                done = sum(1 for code in row.values() if code == requirement.rotation)
                assert requirement.min_blocks <= done <= high, (person, requirement)
    assert program_problems(doc) == []


@pytest.mark.parametrize(("residents", "faculty"), SIZES)
def test_plan_is_valid(residents: int, faculty: int) -> None:
    doc = demo(residents, faculty)
    assert_plan_valid(doc)
    grid = plan_grid(doc)
    assert all(row[0] == "ORI" for row in grid.values())


@pytest.mark.parametrize(("residents", "faculty"), SIZES)
def test_heavy_rotations_are_spread(residents: int, faculty: int) -> None:
    doc = demo(residents, faculty)
    for person, row in plan_grid(doc).items():
        sequence = [row[b] for b in range(1, 14)]
        heavy_pairs = [b for b in range(12) if sequence[b] in HEAVY and sequence[b + 1] in HEAVY]
        assert heavy_pairs == [], (person, sequence)
        assert sequence_penalty(sequence) == 0, (person, sequence)
    by_pgy: dict[int, list[int]] = defaultdict(list)
    pgy = {p.id: p.pgy for p in residents_of(doc)}
    for person, row in plan_grid(doc).items():
        by_pgy[pgy[person]].append(sum(1 for code in row.values() if code in HEAVY))
    assert all(max(counts) - min(counts) <= 1 for counts in by_pgy.values())


@pytest.mark.parametrize(("residents", "faculty"), [s for s in SIZES if s[0] >= 18])
def test_every_fmit_team_has_a_senior(residents: int, faculty: int) -> None:
    doc = demo(residents, faculty)
    pgy = {p.id: p.pgy for p in residents_of(doc)}
    seniors = Counter(
        e.block for e in doc.rotation_plan if e.rotation == "FMIT" and pgy[e.person] >= 2
    )
    assert all(seniors[block] >= 1 for block in range(1, 14))


def test_requirements_cover_the_core_curriculum() -> None:
    required = {(r.pgy, r.rotation): r for r in demo().requirements}
    assert required[(1, "FMIT")].min_blocks >= 3
    for rotation in ("SURG", "PEDS", "OB", "EM"):
        assert required[(1, rotation)].min_blocks >= 1
    assert required[(2, "FMIT")].min_blocks >= 2
    assert required[(2, "NF")].min_blocks >= 1
    assert required[(2, "ICU")].min_blocks == 1
    assert required[(3, "FMIT")].min_blocks >= 2
    assert required[(3, "NF")].min_blocks >= 1
    assert required[(3, "ELEC")].min_blocks >= 2
    assert all(required[(pgy, "ORI")].max_blocks == 1 for pgy in (1, 2, 3))


def test_inpatient_services_are_covered_every_block() -> None:
    rotations = {r.abbreviation: r for r in demo().rotations}
    assert rotations["FMIT"].min_residents >= 3
    assert rotations["NF"].min_residents >= 1


def test_capacities_scale_with_the_program() -> None:
    small = {r.abbreviation: r for r in demo(6, 5).rotations}
    large = {r.abbreviation: r for r in demo(120, 60).rotations}
    for code in ("FMIT", "NF", "CLIN"):
        assert large[code].max_residents > small[code].max_residents
    assert large["ORI"].max_residents == 99  # the rotations API's bound


def test_largest_program_keeps_capacities_within_bounds() -> None:
    doc = build_demo_program(residents=450, faculty=120)
    assert_plan_valid(doc)
    with pytest.raises(ValueError):
        build_demo_program(residents=451)


def test_year_without_orientation_block() -> None:
    doc = demo(year=2027)  # 1 July 2027 is a Thursday: block 1 starts that day
    assert_plan_valid(doc)
    assert all(entry.block >= 1 for entry in doc.rotation_plan)
    assert not any(r.rotation == "ORI" for r in doc.requirements)


@settings(max_examples=30, deadline=None)
@given(
    residents=st.integers(min_value=0, max_value=45),
    faculty=st.integers(min_value=0, max_value=20),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_any_small_program_is_valid(residents: int, faculty: int, seed: int) -> None:
    doc = build_demo_program(residents, faculty, seed=seed)
    assert_plan_valid(doc)
    assert len(residents_of(doc)) == residents
    assert len(doc.people) == residents + faculty
    heavy: dict[int, list[int]] = defaultdict(list)
    grid = plan_grid(doc)
    for person in residents_of(doc):
        heavy[person.pgy or 0].append(sum(1 for c in grid[person.id].values() if c in HEAVY))
    assert all(max(counts) - min(counts) <= 1 for counts in heavy.values())


# --- absences and holidays -----------------------------------------------------------


@pytest.mark.parametrize(("residents", "faculty"), SIZES)
def test_absences_are_inside_the_year_and_respect_leave_rules(residents: int, faculty: int) -> None:
    doc = demo(residents, faculty)
    first, last = academic_year_bounds(doc.academic_year)
    blocks = generate_blocks(doc.academic_year, weekday_number(doc.block_weekday))
    rotations = {r.abbreviation: r for r in doc.rotations}
    grid = plan_grid(doc)
    for absence in doc.absences:
        assert first <= absence.start_date <= absence.end_date <= last
        if absence.person not in grid:
            continue
        for day in iter_days(absence.start_date, absence.end_date):
            block = next(b for b in blocks if b.contains(day))
            assert block.number != 0
            assert rotations[grid[absence.person][block.number]].leave_allowed, absence


def test_absence_mix() -> None:
    doc = demo()
    kinds = Counter(a.kind for a in doc.absences)
    assert kinds["sick"] == 1 and kinds["conference"] == 1
    assert kinds["vacation"] >= len(doc.absences) - 2
    assert {a.status for a in doc.absences} == {"approved", "requested"}
    resident_ids = {p.id for p in residents_of(doc)}
    on_residents = [a for a in doc.absences if a.person in resident_ids]
    assert len(on_residents) == 6
    assert 1 <= len(doc.absences) - len(on_residents) <= 4
    for absence in doc.absences:
        length = (absence.end_date - absence.start_date).days + 1
        if absence.kind == "vacation":
            assert 5 <= length <= 7
    assert len({a.person for a in doc.absences}) == len(doc.absences)


def test_holidays() -> None:
    doc = demo()
    federal = federal_holidays(2026)
    by_date = {h.date: h for h in doc.holidays}
    assert set(federal) <= set(by_date)
    assert all(by_date[day].clinic_level == "closed" for day in federal)
    assert by_date[date(2026, 11, 27)].clinic_level == "reduced"
    assert [h.date for h in doc.holidays] == sorted(by_date)
    assert len(doc.holidays) == len(federal) + 1


# --- the plan, laid out day by day, passes the rules ---------------------------------


def _activity_info(act: ActivitySpec) -> ActivityInfo:
    am = (act.am_start, act.am_end) if act.am_start and act.am_end else None
    pm = (act.pm_start, act.pm_end) if act.pm_start and act.pm_end else None
    return ActivityInfo(
        code=act.code,
        category=act.category,
        am=am,
        pm=pm,
        counts_toward_hours=act.counts_toward_hours,
        needs_supervision=act.needs_supervision,
        provides_supervision=act.provides_supervision,
        sees_patients=act.sees_patients,
        procedures=act.procedures,
    )


def _empty_snapshot(doc: ProgramFile) -> ScheduleSnapshot:
    return ScheduleSnapshot(
        timezone=doc.timezone,
        settings=doc.settings,
        period=academic_year_bounds(doc.academic_year),
        blocks=generate_blocks(doc.academic_year, weekday_number(doc.block_weekday)),
        activities={a.code: _activity_info(a) for a in doc.activities},
        people={},
    )


Cells = dict[tuple[str, date, Session], str]


def _resident_snapshot(doc: ProgramFile, *, weekend_call: bool = True) -> ScheduleSnapshot:
    """Residents' weekly patterns laid over the year, with leave, clinic holidays and call."""
    snapshot = _empty_snapshot(doc)
    residents = residents_of(doc)
    snapshot.people = {p.id: PersonInfo(p.id, p.name, "resident", p.pgy) for p in residents}
    snapshot.rotations = {
        r.abbreviation: RotationInfo(
            abbreviation=r.abbreviation,
            name=r.name,
            min_residents=r.min_residents,
            max_residents=r.max_residents,
            eligible_pgy=tuple(r.eligible_pgy),
            leave_allowed=r.leave_allowed,
            protected_education_exempt=r.protected_education_exempt,
        )
        for r in doc.rotations
    }
    snapshot.plan = [PlanEntry(e.person, e.block, e.rotation, e.half) for e in doc.rotation_plan]
    snapshot.absences = [
        AbsenceInfo(a.person, a.kind, a.start_date, a.end_date, a.status)
        for a in doc.absences
        if a.person in snapshot.people
    ]
    snapshot.holidays = {h.date: h.clinic_level for h in doc.holidays}
    leave = {
        (a.person, day) for a in snapshot.absences if a.status == "approved" for day in a.days()
    }
    rotations = {r.abbreviation: r for r in doc.rotations}
    grid = plan_grid(doc)
    cells: Cells = {}
    for block in snapshot.blocks:
        for person in residents:
            pattern = rotations[grid[person.id][block.number]].weekly_pattern
            for day in block.days():
                cell = pattern[WEEK[day.weekday()]]
                for session, code in ((Session.AM, cell.AM), (Session.PM, cell.PM)):
                    if (person.id, day) in leave:
                        code = "LV"
                    elif day in snapshot.holidays and snapshot.activities[code].sees_patients:
                        code = "HOL"
                    cells[(person.id, day, session)] = code
    if weekend_call:
        _add_weekend_call(doc, snapshot, cells, leave)
    snapshot.assignments = [SlotAssignment(*key, code) for key, code in cells.items()]
    return snapshot


def _busy_days(doc: ProgramFile, cells: Cells) -> dict[str, set[date]]:
    """Days each resident has work on (overnight duties count for the next day too)."""
    acts = {a.code: a for a in doc.activities}
    busy: dict[str, set[date]] = defaultdict(set)
    for (person, day, session), code in cells.items():
        act = acts[code]
        if not act.counts_toward_hours or act.category in ("leave", "off"):
            continue
        busy[person].add(day)
        if session is Session.PM and act.pm_start and act.pm_end and act.pm_end <= act.pm_start:
            busy[person].add(day + timedelta(days=1))
    return busy


def _keeps_days_off(doc: ProgramFile, busy: set[date], extra: set[date]) -> bool:
    """Whether every 28-day window around `extra` keeps its free days with `extra` busy."""
    first, last = academic_year_bounds(doc.academic_year)
    need = doc.settings.duty_hours.min_free_days_per_28
    taken = busy | extra
    starts = iter_days(max(first, min(extra) - timedelta(days=27)), min(max(extra), last))
    for start in starts:
        if start + timedelta(days=27) > last:
            break
        window = iter_days(start, start + timedelta(days=27))
        if sum(1 for day in window if day not in taken) < need:
            return False
    return True


@cache
def year_snapshot(residents: int = 18, faculty: int = 13, seed: int = 2026) -> ScheduleSnapshot:
    return _resident_snapshot(demo(residents, faculty, seed))


def _add_weekend_call(
    doc: ProgramFile, snapshot: ScheduleSnapshot, cells: Cells, leave: set[tuple[str, date]]
) -> None:
    """One resident on a 24-h call shift from 07:00 each call night, post-call the next day.

    Taken in turn by the residents on rotations that take call, skipping anyone the call
    would leave short of days off or back to back, as a call scheduler would. The shift is
    24 real hours, so it ends at 06:00 on the night clocks fall back.
    """
    zone = snapshot.zone
    on_call: set[tuple[str, date]] = set()
    takes_call = {r.abbreviation for r in doc.rotations if r.takes_call}
    nights = {weekday_number(day) for day in doc.settings.resident_call_nights}
    grid = plan_grid(doc)
    busy = _busy_days(doc, cells)
    calls: Counter[str] = Counter()
    first, last = academic_year_bounds(doc.academic_year)
    # week by week, later nights first: a Saturday call costs the whole weekend
    call_nights = sorted(
        (day for day in iter_days(first, last) if day.weekday() in nights),
        key=lambda day: (day - timedelta(days=day.weekday()), -day.weekday()),
    )
    for day in call_nights:
        block = snapshot.block_of(day)
        assert block is not None
        after = day + timedelta(days=1)
        pool = [
            person
            for person, row in grid.items()
            if row[block.number] in takes_call
            and (person, day) not in leave
            and (person, after) not in leave
            and (person, day - timedelta(days=1)) not in on_call
            and (person, after) not in on_call
            and _keeps_days_off(doc, busy[person], {day, after})
        ]
        assert pool, f"nobody to take call on {day}"
        person = min(pool, key=lambda p: (calls[p], p))
        calls[person] += 1
        busy[person] |= {day, after}
        on_call.add((person, day))
        start = datetime.combine(day, time(7), tzinfo=zone)
        end = (start.astimezone(UTC) + timedelta(hours=24)).astimezone(zone)
        snapshot.shifts.append(ShiftInfo(person, "call", start, end))
        cells[(person, day, Session.AM)] = cells[(person, day, Session.PM)] = "OFF"
        if (person, after, Session.AM) in cells and (person, after) not in on_call:
            cells[(person, after, Session.AM)] = "PC"
            cells[(person, after, Session.PM)] = "OFF"


@pytest.mark.parametrize(
    ("residents", "faculty", "seed"), [(18, 13, 2026), (18, 13, 1), (18, 13, 2), (54, 39, 2026)]
)
def test_year_of_patterns_passes_duty_hour_rules(residents: int, faculty: int, seed: int) -> None:
    """The plan laid out day by day, with weekend call, breaks no duty-hour rule."""
    doc = demo(residents, faculty, seed)
    snapshot = year_snapshot(residents, faculty, seed)
    first, last = academic_year_bounds(doc.academic_year)
    nights = {weekday_number(day) for day in doc.settings.resident_call_nights}
    assert len(snapshot.shifts) == sum(1 for d in iter_days(first, last) if d.weekday() in nights)
    result = check_timeline(parse_timeline(duty_timeline(snapshot)))
    assert result.errors == [], [v.message for v in result.errors[:5]]


@pytest.mark.parametrize("seed", [2026, 3])
def test_year_of_patterns_passes_program_rules(seed: int) -> None:
    snapshot = year_snapshot(seed=seed)
    for rule in (clinic_capacity, rotation_capacity, protected_education, leave_eligibility):
        findings = rule(snapshot)
        assert findings == [], [v.message for v in findings[:5]]
    assert [v for v in away_days(snapshot) if v.severity == "violation"] == []


def test_clinic_sessions_can_be_precepted() -> None:
    """Each week's supervision need fits the faculty's clinic caps (ACGME.md supervision)."""
    doc = demo()
    snapshot = year_snapshot()
    rules = doc.settings.supervision
    units: Counter[tuple[date, Session]] = Counter()
    for slot in snapshot.assignments:
        act = snapshot.activities[slot.activity]
        if act.needs_supervision:
            pgy = snapshot.people[slot.person].pgy
            units[(slot.date, slot.session)] += (
                rules.procedure_units
                if act.procedures
                else rules.pgy1_units
                if pgy == 1
                else rules.senior_units
            )
    weekly: Counter[date] = Counter()
    most = 0
    for (day, _), need in units.items():
        preceptors = math.ceil(need / rules.units_per_supervisor)
        most = max(most, preceptors)
        weekly[day - timedelta(days=day.weekday())] += preceptors
    faculty = [p for p in doc.people if p.role == "faculty"]
    caps = sum(p.weekly_clinic_cap or 0 for p in faculty)
    assert most <= len(faculty) // 2
    assert max(weekly.values()) <= 0.75 * caps
