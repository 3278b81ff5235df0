"""Re-solving one block against the published rest of the year."""

from __future__ import annotations

import time

from residency.scheduling import SolveRequest, solve
from residency.scheduling.problem import build_problem
from tests.scheduling.conftest import SolvedYear
from tests.scheduling.helpers import violations

BLOCK = 5


def test_block_resolve_keeps_every_rule_across_its_boundaries(solved_year: SolvedYear) -> None:
    program, year = solved_year.program, solved_year.result
    problem = build_problem(program)
    block = problem.block(BLOCK)
    zone = problem.zone
    inside = [a for a in year.assignments if block.contains(a.date)]
    history = [a for a in year.assignments if not block.contains(a.date)]
    shifts = [
        s
        for s in year.shifts
        if s.kind == "fmit_week" or not block.contains(s.start.astimezone(zone).date())
    ]
    clinic = next(a for a in inside if a.activity == "C" and a.person.startswith("r"))
    lock = clinic.model_copy(update={"activity": "LEC", "locked": True})
    request = SolveRequest(
        program=program,
        scope=BLOCK,
        time_limit_s=20,
        seed=3,
        locked_assignments=[lock],
        history_assignments=history,
        history_shifts=shifts,
        rotation_plan=year.rotation_plan,
    )
    started = time.monotonic()
    result = solve(request)
    assert result.status == "succeeded", (result.message, result.explanation)
    assert time.monotonic() - started < 10
    assert result.period == (block.start, block.end)
    assert {a.date for a in result.assignments} <= set(block.days())
    assert {e.block for e in result.rotation_plan} == {BLOCK}
    kept = {(a.person, a.date, a.session): a.activity for a in result.assignments}
    assert kept[(lock.person, lock.date, lock.session)] == "LEC"
    everything = violations(
        program,
        year.rotation_plan,
        history + result.assignments,
        shifts + [s for s in result.shifts if s.kind != "fmit_week"],
        problem.year,
    )
    assert [v.message for v in everything] == []
