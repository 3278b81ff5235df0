"""Schedule generation with CP-SAT (pure: a program file in, a schedule out).

`solve(request)` builds the annual rotation plan, the faculty FMIT weeks and every block
schedule with each violation-severity rule of ACGME.md as a hard constraint; it returns
`succeeded` with the schedule, or `infeasible` with the conflicting rules, people and
dates, or `cancelled` / `failed`. `result_to_snapshot` turns a result into the
`ScheduleSnapshot` the compliance engine and the schedule validator judge.
"""

from residency.scheduling.interface import (
    Conflict,
    PhaseSummary,
    SolveProgress,
    SolveRequest,
    SolveResult,
)
from residency.scheduling.judge import judge, result_to_snapshot, snapshot_of
from residency.scheduling.pipeline import solve
from residency.scheduling.problem import ProgramError

__all__ = [
    "Conflict",
    "PhaseSummary",
    "ProgramError",
    "SolveProgress",
    "SolveRequest",
    "SolveResult",
    "judge",
    "result_to_snapshot",
    "snapshot_of",
    "solve",
]
