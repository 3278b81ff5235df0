"""Impossible programs end `infeasible`, naming the rules, the people and the dates."""

from __future__ import annotations

from residency.scheduling import SolveRequest, solve
from tests.scheduling.helpers import clinic_rotation, tiny_program


def test_five_interns_in_clinic_with_one_preceptor() -> None:
    program = tiny_program(
        [(f"r1-0{i}", 1) for i in range(1, 6)],
        ["f-01"],
        clinic_rotation(),
        resident_call_nights=[],
        covered_call_nights=[],
    )
    result = solve(SolveRequest(program=program, time_limit_s=20))
    assert result.status == "infeasible"
    assert result.assignments == []
    conflict = result.explanation[0]
    assert conflict.rules == ["supervision_ratio"]
    assert conflict.dates
    assert "precept" in conflict.message


def test_five_interns_in_one_block_name_the_clinic_sessions() -> None:
    program = tiny_program(
        [(f"r1-0{i}", 1) for i in range(1, 6)],
        ["f-01"],
        clinic_rotation(),
        resident_call_nights=[],
        covered_call_nights=[],
    )
    result = solve(SolveRequest(program=program, scope=2, time_limit_s=20))
    assert result.status == "infeasible"
    conflict = result.explanation[0]
    assert conflict.rules == ["supervision_ratio"]
    assert len(conflict.dates) == 1 and conflict.dates[0].weekday() < 5
    assert "10 supervision units" in conflict.message


def test_one_resident_cannot_take_every_friday_and_saturday_call() -> None:
    program = tiny_program([("r2-01", 2)], ["f-01", "f-02"], clinic_rotation(takes_call=True))
    result = solve(SolveRequest(program=program, time_limit_s=20))
    assert result.status == "infeasible"
    conflict = result.explanation[0]
    assert "resident_call_coverage" in conflict.rules
    assert conflict.people == ["r2-01"]
    fridays = [d for d in conflict.dates if d.weekday() == 4]
    saturdays = [d for d in conflict.dates if d.weekday() == 5]
    assert fridays and saturdays
    assert "r2-01" in conflict.message
