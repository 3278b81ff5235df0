"""A whole academic year of a small demo program: compliant, complete, locks kept."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from residency.compliance import check_timeline, parse_timeline
from residency.compliance.program_rules import validate_schedule
from residency.core.calendar import iter_days
from residency.core.schedule import duty_timeline
from residency.scheduling import SolveResult, result_to_snapshot
from residency.scheduling.problem import build_problem
from tests.scheduling.conftest import (
    LOCKED_CALL_NIGHT,
    LOCKED_DAY,
    LOCKED_FMIT_FRIDAY,
    SolvedYear,
    plan_entry,
)


def test_year_passes_both_judges_with_zero_violations(solved_year: SolvedYear) -> None:
    snapshot = result_to_snapshot(solved_year.program, solved_year.result)
    duty = check_timeline(parse_timeline(duty_timeline(snapshot)))
    assert [v.message for v in duty.errors] == []
    program = [v for v in validate_schedule(snapshot) if v.severity == "violation"]
    assert [v.message for v in program] == []


def test_every_resident_slot_and_plan_entry_is_filled(solved_year: SolvedYear) -> None:
    program, result = solved_year.program, solved_year.result
    problem = build_problem(program)
    plan = Counter((e.person, e.block) for e in result.rotation_plan)
    assert set(plan) == {(r, b.number) for r in problem.residents for b in problem.blocks}
    assert set(plan.values()) == {1}
    calls = {(s.person, s.start.date()) for s in result.shifts if s.kind == "call"}
    slots = Counter((a.person, a.date) for a in result.assignments)
    for person in problem.residents:
        for day in iter_days(*problem.year):
            assert slots[(person, day)] == 2 or (person, day) in calls, (person, day)


def test_weekend_calls_faculty_calls_and_fmit_weeks_are_covered(solved_year: SolvedYear) -> None:
    result = solved_year.result
    problem = build_problem(solved_year.program)
    resident_calls = Counter(s.start.date() for s in result.shifts if s.kind == "call")
    faculty_calls = Counter(s.start.date() for s in result.shifts if s.kind == "faculty_call")
    fmit = Counter(s.start.date() for s in result.shifts if s.kind == "fmit_week")
    for night in problem.days:
        expected = 1 if problem.is_resident_call_night(night) else 0
        assert resident_calls[night] == expected, night
        assert faculty_calls[night] == (1 if problem.is_covered_night(night) else 0), night
    assert fmit == Counter(problem.fmit_fridays)


def test_locks_are_kept(solved_year: SolvedYear) -> None:
    result = solved_year.result
    assert plan_entry(result, "r1-02", 5).rotation == "CLIN"
    kept = {(a.person, a.date, a.session): a for a in result.assignments}
    assert kept[("r2-01", LOCKED_DAY, "AM")].activity == "LEC"
    assert kept[("r2-01", LOCKED_DAY, "AM")].locked
    assert kept[("f-02", LOCKED_DAY, "PM")].activity == "AT"
    calls = [s for s in result.shifts if s.kind == "faculty_call"]
    assert [s.person for s in calls if s.start.date() == LOCKED_CALL_NIGHT] == ["f-03"]
    fmit = [s for s in result.shifts if s.kind == "fmit_week"]
    assert [s.person for s in fmit if s.start.date() == LOCKED_FMIT_FRIDAY] == ["f-04"]


def test_approved_leave_is_locked_leave(solved_year: SolvedYear) -> None:
    program, result = solved_year.program, solved_year.result
    cells = {(a.person, a.date, a.session): a for a in result.assignments}
    for absence in program.absences:
        if absence.status != "approved":
            continue
        for day in iter_days(absence.start_date, absence.end_date):
            for session in ("AM", "PM"):
                cell = cells[(absence.person, day, session)]
                assert (cell.activity, cell.locked) == ("LV", True)


def test_fairness_spreads_calls_and_fmit_weeks(solved_year: SolvedYear) -> None:
    result = solved_year.result
    problem = build_problem(solved_year.program)
    fmit = Counter(s.person for s in result.shifts if s.kind == "fmit_week")
    eligible = [f for f in problem.faculty if problem.fmit_eligible(f)]
    assert max(fmit[f] for f in eligible) - min(fmit[f] for f in eligible) <= 2
    faculty_calls = Counter(s.person for s in result.shifts if s.kind == "faculty_call")
    assert max(faculty_calls.values()) - min(faculty_calls.values()) <= 8


def test_progress_reports_phases_objective_and_fraction(solved_year: SolvedYear) -> None:
    phases = [p.phase for p in solved_year.progress]
    assert phases[0] == "rotation plan"
    assert {"FMIT weeks", "block 1", "block 13"} <= set(phases)
    fractions = [p.fraction for p in solved_year.progress]
    assert fractions[-1] == 1.0
    assert any(p.objective is not None and p.gap is not None for p in solved_year.progress)


def test_result_round_trips_as_json(solved_year: SolvedYear) -> None:
    result = solved_year.result
    again = SolveResult.model_validate_json(result.model_dump_json())
    assert again == result
    assert result.objective is not None and result.bound is not None and result.gap is not None
    assert all(s.start.utcoffset() is not None for s in result.shifts)
    assert min(s.end - s.start for s in result.shifts) > timedelta(0)
