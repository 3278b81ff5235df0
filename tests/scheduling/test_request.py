"""Requests name their bad fields; programs the solver cannot write into fail plainly."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from residency.core.program_file import AssignmentSpec
from residency.scheduling import SolveRequest, solve
from residency.scheduling.problem import build_problem
from tests.scheduling.helpers import demo, result_violations


def test_locked_rows_must_name_known_people_and_activities() -> None:
    row = AssignmentSpec(person="nobody", date=date(2026, 9, 1), session="AM", activity="ZZZ")
    with pytest.raises(ValidationError) as caught:
        SolveRequest(program=demo(), locked_assignments=[row])
    text = str(caught.value)
    assert "locked_assignments[0].person: unknown person 'nobody'" in text
    assert "locked_assignments[0].activity: unknown activity 'ZZZ'" in text


def test_request_round_trips_as_json_for_a_process_pool() -> None:
    request = SolveRequest(program=demo(), scope=3, time_limit_s=5, seed=9)
    assert SolveRequest.model_validate_json(request.model_dump_json()) == request


def test_missing_activity_role_fails_naming_the_field() -> None:
    program = demo()
    roles = program.activity_roles.model_copy(update={"precepting": "PRECEPT"})
    result = solve(SolveRequest(program=program.model_copy(update={"activity_roles": roles})))
    assert result.status == "failed"
    assert result.message == "activity_roles.precepting: unknown activity 'PRECEPT'"


def test_pgy1_sixteen_hour_option_keeps_interns_off_24_hour_call() -> None:
    program = demo(9, 7)
    settings = program.settings.model_copy(
        update={
            "duty_hours": program.settings.duty_hours.model_copy(
                update={"pgy1_max_continuous_hours": 16.0}
            )
        }
    )
    program = program.model_copy(update={"settings": settings})
    result = solve(SolveRequest(program=program, scope=1, time_limit_s=20))
    assert result.status == "succeeded", (result.message, result.explanation)
    problem = build_problem(program)
    calls = [s for s in result.shifts if s.kind == "call"]
    assert calls and all(problem.pgy(s.person) >= 2 for s in calls)
    assert result_violations(program, result) == []
