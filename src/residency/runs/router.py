"""Routes for schedule generation runs: start, follow (SSE), cancel, diff, publish."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Request, Response, status
from fastapi.responses import StreamingResponse

from residency.api.deps import ProgramDep, SessionDep
from residency.api.pagination import Page, PageParams, page_of, page_params
from residency.auth.access import requires
from residency.auth.permissions import Permission
from residency.db import unit_of_work
from residency.runs.execution import execute_run
from residency.runs.models import FINISHED
from residency.runs.repository import RunRepository
from residency.runs.schemas import RunCreate, RunDiff, RunRead
from residency.runs.service import RunService

# Every route here: drafts and runs are for the program's coordinators and chiefs.
router = APIRouter(
    prefix="/programs/{program_id}/schedule-runs",
    tags=["schedule runs"],
    dependencies=[requires(Permission.SCHEDULE_MANAGE)],
)
EVENT_POLL_SECONDS = 0.5
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post("", response_model=RunRead, status_code=status.HTTP_202_ACCEPTED)
async def start_run(
    payload: RunCreate,
    program: ProgramDep,
    session: SessionDep,
    request: Request,
    response: Response,
    background: BackgroundTasks,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Queue a solve of the year or of one block; 202 with the run. Honours Idempotency-Key."""
    run, created = await RunService(session, program).create(payload, idempotency_key)
    if created:  # background tasks start after the unit of work has committed the row
        background.add_task(_start_job, request.app.state, run.id)
    response.headers["Location"] = f"/api/v1/programs/{program.id}/schedule-runs/{run.id}"
    return RunRead.model_validate(run)


async def _start_job(state: Any, run_id: uuid.UUID) -> None:
    """Start the job on the event loop once the queued row is committed."""
    state.runner.spawn(execute_run(state.session_factory, state.runner.solve, run_id))


@router.get("", response_model=Page[RunRead])
async def list_runs(
    program: ProgramDep, session: SessionDep, page: Annotated[PageParams, Depends(page_params)]
) -> Any:
    rows, total = await RunService(session, program).page(limit=page.limit, offset=page.offset)
    return page_of(RunRead, rows, total, page)


@router.get("/{run_id}", response_model=RunRead)
async def read_run(run_id: uuid.UUID, program: ProgramDep, session: SessionDep) -> Any:
    """Status, progress (objective, bound, gap) and timings of a run."""
    return RunRead.model_validate(await RunService(session, program).get(run_id))


@router.get("/{run_id}/events", response_class=StreamingResponse)
async def run_events(
    run_id: uuid.UUID, program: ProgramDep, session: SessionDep, request: Request
) -> StreamingResponse:
    """Server-sent events: a `progress` event whenever the run changes, then `end`."""
    await RunService(session, program).get(run_id)  # 404 before the stream starts
    factory = request.app.state.session_factory
    return StreamingResponse(
        _events(factory, program.id, run_id, request),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(
    factory: Any, program_id: uuid.UUID, run_id: uuid.UUID, request: Request
) -> AsyncIterator[str]:
    last: str | None = None
    while not await request.is_disconnected():
        async with unit_of_work(factory, write=False) as session:
            run = await RunRepository(session).get_or_404(run_id, program_id)
            body = RunRead.model_validate(run).model_dump_json()
            finished = run.status in FINISHED
        if body != last:
            yield f"event: progress\ndata: {body}\n\n"
            last = body
        if finished:
            yield f"event: end\ndata: {json.dumps({'status': run.status.value})}\n\n"
            return
        await asyncio.sleep(EVENT_POLL_SECONDS)


@router.post("/{run_id}/cancel", response_model=RunRead, status_code=status.HTTP_202_ACCEPTED)
async def cancel_run(run_id: uuid.UUID, program: ProgramDep, session: SessionDep) -> Any:
    """Ask the solver to stop; it stops within a second and the run ends `cancelled`."""
    return RunRead.model_validate(await RunService(session, program).request_cancel(run_id))


@router.get("/{run_id}/diff", response_model=RunDiff)
async def diff_run(run_id: uuid.UUID, program: ProgramDep, session: SessionDep) -> Any:
    """The draft against what is published: slots added, removed and changed."""
    return await RunService(session, program).diff(run_id)


@router.post("/{run_id}/publish", response_model=RunRead)
async def publish_run(run_id: uuid.UUID, program: ProgramDep, session: SessionDep) -> Any:
    """Replace the published schedule with the draft, in one transaction (409 if stale)."""
    return RunRead.model_validate(await RunService(session, program).publish(run_id))
