"""Flexible cells: continuity clinic up to the weekly target, the rest the flex activity."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from residency.core.program_file import DaySpec, RotationSpec
from residency.scheduling import SolveRequest, solve
from residency.scheduling.problem import build_problem
from tests.scheduling.helpers import WEEKDAYS, result_violations, tiny_program


def flex_rotation() -> RotationSpec:
    week = {day: DaySpec(AM="ELEC", PM=None) for day in WEEKDAYS}
    weekend = {day: DaySpec(AM="OFF", PM="OFF") for day in ("saturday", "sunday")}
    return RotationSpec(
        name="Flexible elective",
        abbreviation="FLEX",
        weekly_pattern={**week, **weekend},
        flex_activity="ADM",
    )


def test_flexible_cells_meet_the_continuity_target_and_keep_didactics() -> None:
    program = tiny_program(
        [("r2-01", 2), ("r2-02", 2)],
        ["f-01", "f-02"],
        flex_rotation(),
        resident_call_nights=[],
        continuity_clinic_per_week={2: 2},
    )
    result = solve(SolveRequest(program=program, scope=2, time_limit_s=20))
    assert result.status == "succeeded", (result.message, result.explanation)
    assert result_violations(program, result) == []
    block = build_problem(program).block(2)
    first_monday = block.start + timedelta(days=(7 - block.start.weekday()) % 7)
    weeks = [first_monday + timedelta(weeks=k) for k in range(3)]
    clinic = Counter(
        (a.person, a.date - timedelta(days=a.date.weekday()))
        for a in result.assignments
        if a.activity == "C"
    )
    for person in ("r2-01", "r2-02"):
        assert [clinic[(person, monday)] for monday in weeks] == [2, 2, 2]
    wednesday_pm = {
        a.activity for a in result.assignments if a.date.weekday() == 2 and a.session == "PM"
    }
    assert wednesday_pm == {"LEC"}
    flexible = {
        a.activity for a in result.assignments if a.session == "PM" and a.date.weekday() < 5
    }
    assert flexible <= {"C", "ADM", "LEC", "AT"}
