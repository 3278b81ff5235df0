"""Carry out a queued run: build the solver request, solve off the loop, store the draft.

Each step is its own short transaction, so the run's row always shows where it is and a
crash leaves a run that is plainly `failed`, never a half-written schedule.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from residency.db import unit_of_work
from residency.models_base import utcnow
from residency.programs.models import AcademicYear, Program
from residency.programs.repository import (
    AcademicYearRepository,
    BlockRepository,
    ProgramRepository,
)
from residency.runs.models import RunStatus, ScheduleRun
from residency.runs.repository import RunRepository
from residency.schedule.export import program_file_from_db, published_rows

log = logging.getLogger(__name__)
Solve = Callable[
    [str, Callable[[dict[str, Any]], Awaitable[None]], Callable[[], Awaitable[bool]]],
    Awaitable[str],
]
RESULT_STATUS = {
    "succeeded": RunStatus.SUCCEEDED,
    "infeasible": RunStatus.INFEASIBLE,
    "cancelled": RunStatus.CANCELLED,
    "failed": RunStatus.FAILED,
}


async def execute_run(
    factory: async_sessionmaker[AsyncSession], solve: Solve, run_id: uuid.UUID
) -> None:
    """Run `run_id` to its end; any error marks it failed with the reason."""
    try:
        request_json = await _start(factory, run_id)
        if request_json is None:
            return
        result_json = await solve(
            request_json,
            lambda update: _record_progress(factory, run_id, update),
            lambda: _cancel_requested(factory, run_id),
        )
        await _finish(factory, run_id, result_json)
    except Exception as error:
        log.exception("schedule run %s failed", run_id)
        await _fail(factory, run_id, f"{type(error).__name__}: {error}")


async def _start(factory: async_sessionmaker[AsyncSession], run_id: uuid.UUID) -> str | None:
    from residency.scheduling import SolveRequest

    async with unit_of_work(factory) as session:
        run = await RunRepository(session).get_or_404(run_id, for_update=True)
        if run.status is not RunStatus.QUEUED:
            return None
        program = await ProgramRepository(session).get_or_404(run.program_id)
        year = await _year(session, run)
        request = SolveRequest.model_validate(
            {
                "program": await program_file_from_db(session, program, year),
                "scope": "year" if run.scope == "year" else int(run.scope),
                "time_limit_s": run.time_limit_s,
                "seed": run.seed,
                **await _fixed_rows(session, program, year, run.scope),
            }
        )
        run.status = RunStatus.RUNNING
        run.started_at = utcnow()
        return request.model_dump_json()


async def _fixed_rows(
    session: AsyncSession, program: Program, year: AcademicYear, scope: str
) -> dict[str, Any]:
    """What the solver keeps: locked rows in the scope, and the published rest as history.

    A year run keeps only the locked rows; a block run also sees the published schedule
    of the other blocks, so rolling-window rules hold across the block's boundaries.
    """
    assignments, shifts = await published_rows(session, program, year.start_date, year.end_date)
    if scope == "year":
        return {
            "locked_assignments": [a for a in assignments if a.locked],
            "locked_shifts": [s for s in shifts if s.locked],
        }
    block = next(
        b for b in await BlockRepository(session).for_year(year.id) if b.number == int(scope)
    )
    zone = ZoneInfo(program.timezone)

    def inside(day: date) -> bool:
        return block.start_date <= day <= block.end_date

    return {
        "locked_assignments": [a for a in assignments if a.locked and inside(a.date)],
        "locked_shifts": [
            s for s in shifts if s.locked and inside(s.start.astimezone(zone).date())
        ],
        "history_assignments": [a for a in assignments if not inside(a.date)],
        "history_shifts": [s for s in shifts if not inside(s.start.astimezone(zone).date())],
    }


async def _year(session: AsyncSession, run: ScheduleRun) -> AcademicYear:
    years = await AcademicYearRepository(session).all_for(run.program_id)
    return next(y for y in years if y.start_year == run.academic_year)


async def _record_progress(
    factory: async_sessionmaker[AsyncSession], run_id: uuid.UUID, update: dict[str, Any]
) -> None:
    async with unit_of_work(factory) as session:
        run = await RunRepository(session).get_or_404(run_id)
        run.phase = update.get("phase")
        run.progress = float(update.get("fraction", run.progress) or 0.0)
        run.objective = update.get("objective")
        run.bound = update.get("bound")
        run.gap = update.get("gap")


async def _cancel_requested(factory: async_sessionmaker[AsyncSession], run_id: uuid.UUID) -> bool:
    async with unit_of_work(factory, write=False) as session:
        run = await RunRepository(session).get_or_404(run_id)
        return run.cancel_requested


async def _finish(
    factory: async_sessionmaker[AsyncSession], run_id: uuid.UUID, result_json: str
) -> None:
    from residency.scheduling import SolveResult

    result = SolveResult.model_validate_json(result_json)
    async with unit_of_work(factory) as session:
        run = await RunRepository(session).get_or_404(run_id, for_update=True)
        run.status = RESULT_STATUS[result.status]
        run.finished_at = utcnow()
        run.progress = 1.0
        run.objective, run.bound, run.gap = result.objective, result.bound, result.gap
        if run.status is RunStatus.SUCCEEDED:
            run.draft = result.model_dump(
                mode="json", include={"rotation_plan", "assignments", "shifts"}
            )
        run.explanation = [item.model_dump(mode="json") for item in result.explanation or []]


async def _fail(factory: async_sessionmaker[AsyncSession], run_id: uuid.UUID, reason: str) -> None:
    async with unit_of_work(factory) as session:
        run = await RunRepository(session).get(run_id, for_update=True)
        if run is not None:
            run.status = RunStatus.FAILED
            run.error = reason[:2000]
            run.finished_at = utcnow()


async def fail_interrupted_runs(factory: async_sessionmaker[AsyncSession]) -> int:
    """Runs left queued or running by a stopped process can never finish: mark them."""
    async with unit_of_work(factory) as session:
        stale = await RunRepository(session).unfinished()
        for run in stale:
            run.status = RunStatus.FAILED
            run.error = "interrupted: the process that ran it stopped"
            run.finished_at = utcnow()
        return len(stale)
