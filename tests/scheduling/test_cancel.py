"""Cancelling a run stops the search within a second and returns no schedule."""

from __future__ import annotations

import time

from residency.scheduling import SolveProgress, SolveRequest, solve
from tests.scheduling.helpers import demo


def test_should_stop_cancels_quickly_without_a_partial_schedule() -> None:
    asked: list[float] = []

    def should_stop() -> bool:
        return bool(asked)

    def on_progress(update: SolveProgress) -> None:
        if update.phase == "block 2" and not asked:
            asked.append(time.monotonic())

    result = solve(
        SolveRequest(program=demo(9, 7), time_limit_s=120, seed=1),
        on_progress=on_progress,
        should_stop=should_stop,
    )
    assert result.status == "cancelled"
    assert time.monotonic() - asked[0] < 1.5
    assert result.assignments == [] and result.shifts == [] and result.rotation_plan == []


def test_cancel_before_the_first_solution() -> None:
    started = time.monotonic()
    result = solve(SolveRequest(program=demo(9, 7), time_limit_s=120), should_stop=lambda: True)
    assert result.status == "cancelled"
    assert "rotation plan" in (result.message or "")
    assert time.monotonic() - started < 1.5
