"""One solved year of a small demo program, with locks, shared by the solver tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from residency.core.program_file import AssignmentSpec, PlanEntrySpec, ProgramFile, ShiftSpec
from residency.scheduling import SolveProgress, SolveRequest, SolveResult, solve
from tests.scheduling.helpers import demo, local

LOCKED_DAY = date(2026, 9, 15)  # a Tuesday in block 3
LOCKED_CALL_NIGHT = date(2026, 10, 11)  # a Sunday
LOCKED_FMIT_FRIDAY = date(2026, 11, 6)


@dataclass
class SolvedYear:
    program: ProgramFile
    result: SolveResult
    progress: list[SolveProgress]


def locked_program() -> ProgramFile:
    """The (6, 5) demo with a locked plan entry, slot assignments, faculty call and FMIT week."""
    doc = demo(6, 5)
    plan = [
        entry.model_copy(update={"rotation": "CLIN", "locked": True})
        if (entry.person, entry.block) == ("r1-02", 5)
        else entry
        for entry in doc.rotation_plan
    ]
    fmit_start = local(LOCKED_FMIT_FRIDAY, 0)
    return doc.model_copy(
        update={
            "rotation_plan": plan,
            "assignments": [
                AssignmentSpec(person="r2-01", date=LOCKED_DAY, session="AM", activity="LEC"),
                AssignmentSpec(person="f-02", date=LOCKED_DAY, session="PM", activity="AT"),
            ],
            "shifts": [
                ShiftSpec(
                    person="f-03",
                    kind="faculty_call",
                    start=local(LOCKED_CALL_NIGHT, 17),
                    end=local(LOCKED_CALL_NIGHT + timedelta(days=1), 8),
                ),
                ShiftSpec(
                    person="f-04",
                    kind="fmit_week",
                    start=fmit_start,
                    end=local(LOCKED_FMIT_FRIDAY + timedelta(days=7), 0),
                ),
            ],
        }
    )


@pytest.fixture(scope="session")
def solved_year() -> SolvedYear:
    program = locked_program()
    progress: list[SolveProgress] = []
    result = solve(
        SolveRequest(program=program, scope="year", time_limit_s=90, seed=7),
        on_progress=progress.append,
    )
    assert result.status == "succeeded", (result.message, result.explanation)
    return SolvedYear(program, result, progress)


def plan_entry(result: SolveResult, person: str, block: int) -> PlanEntrySpec:
    return next(e for e in result.rotation_plan if (e.person, e.block) == (person, block))
