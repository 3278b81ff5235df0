"""The generation page: start a year or block run, follow it live, compare, publish."""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from residency.api.deps import ProgramDep, SessionDep
from residency.auth.access import Access
from residency.auth.permissions import Permission
from residency.db import unit_of_work
from residency.errors import Conflict, ProblemError
from residency.runs.execution import execute_run
from residency.runs.models import FINISHED, RunStatus, ScheduleRun
from residency.runs.schemas import RunCreate, RunRead
from residency.runs.service import RunService
from residency.web.access import page_requires
from residency.web.context import people_of, year_view
from residency.web.forms import FormErrors, number, settle, text
from residency.web.render import program_context, program_url, render, see_other, today_in

router = APIRouter(include_in_schema=False)
Manager = Annotated[Access, page_requires(Permission.SCHEDULE_MANAGE)]
BASE = "/ui/programs/{program_id}"
EVENT_POLL_SECONDS = 0.5
RECENT_RUNS = 15
FIELDS = {"scope", "academic_year", "time_limit_s", "seed"}


async def _recent_runs(service: RunService) -> list[ScheduleRun]:
    _, total = await service.page(limit=1, offset=0)
    rows, _ = await service.page(limit=RECENT_RUNS, offset=max(0, total - RECENT_RUNS))
    return list(reversed(rows))


async def _generate_context(
    request: Request, access: Access, program: Any, session: Any
) -> dict[str, Any]:
    years = await year_view(session, program, today_in(request, program))
    return {
        **program_context(request, access, program, "generate"),
        "years": years,
        "runs": await _recent_runs(RunService(session, program)),
        "errors": FormErrors(),
        "values": {
            "scope": "year",
            "academic_year": years.year.start_year if years.year else "",
            "time_limit_s": 60,
            "seed": 0,
        },
        "idempotency_key": secrets.token_urlsafe(16),
    }


@router.get(BASE + "/generate")
async def generate_page(
    request: Request, access: Manager, program: ProgramDep, session: SessionDep
) -> Any:
    """Start a solve of the whole year or of one block; recent runs."""
    return render(
        request, "generate.html", await _generate_context(request, access, program, session)
    )


@router.post(BASE + "/generate")
async def start_run(
    request: Request,
    access: Manager,
    program: ProgramDep,
    session: SessionDep,
    background: BackgroundTasks,
) -> Any:
    form = await request.form()
    scope_text = text(form, "scope") or "year"
    values = {
        "scope": scope_text if scope_text == "year" else number(form, "scope"),
        "academic_year": number(form, "academic_year"),
        "time_limit_s": number(form, "time_limit_s"),
        "seed": number(form, "seed"),
    }
    key = text(form, "idempotency_key")[:200] or None  # a double submit starts one run
    try:
        payload = RunCreate.model_validate({k: v for k, v in values.items() if v is not None})
        run, created = await RunService(session, program).create(payload, key)
    except (ValidationError, ProblemError) as error:
        await settle(session, error, program)
        context = await _generate_context(request, access, program, session)
        if isinstance(error, ValidationError):
            errors = FormErrors.from_validation(error, FIELDS)
        else:
            errors = FormErrors.from_problem(error, FIELDS)
        context.update(errors=errors, values={**values, "scope": scope_text})
        return render(request, "generate.html", context, status_code=422)
    if created:  # started after the unit of work has committed the queued row
        background.add_task(_start_job, request.app.state, run.id)
    return see_other(program_url(program, "runs", str(run.id)), "run-started")


async def _start_job(state: Any, run_id: uuid.UUID) -> None:
    state.runner.spawn(execute_run(state.session_factory, state.runner.solve, run_id))


@router.get(BASE + "/runs/{run_id}")
async def run_page(
    request: Request, access: Manager, program: ProgramDep, session: SessionDep, run_id: uuid.UUID
) -> Any:
    """A run: live progress while it runs; then the diff and publish, or why it failed."""
    service = RunService(session, program)
    run = await service.get(run_id)
    diff, diff_error = None, None
    if run.status is RunStatus.SUCCEEDED:
        try:
            diff = await service.diff(run_id)
        except Conflict as error:
            diff_error = error.detail
    names = {str(p.id): p.name for p in await people_of(session, program)}
    return render(
        request,
        "run.html",
        {
            **program_context(request, access, program, "generate"),
            "run": run,
            "finished": run.status in FINISHED,
            "diff": diff,
            "diff_error": diff_error,
            "names": names,
            "elapsed": _elapsed(run),
            "explanation": run.explanation or [],
            "events_url": program_url(program, "runs", str(run.id), "events"),
        },
    )


def _elapsed(run: ScheduleRun) -> str:
    if run.started_at is None:
        return "not started"
    end = run.finished_at or datetime.now(UTC)
    start = run.started_at if run.started_at.tzinfo else run.started_at.replace(tzinfo=UTC)
    end = end if end.tzinfo else end.replace(tzinfo=UTC)
    seconds = max(0, round((end - start).total_seconds()))
    minutes = seconds // 60
    return (f"{minutes} min " if minutes else "") + f"{seconds % 60} s"


@router.get(BASE + "/runs/{run_id}/events")
async def run_events(
    request: Request, _: Manager, program: ProgramDep, session: SessionDep, run_id: uuid.UUID
) -> StreamingResponse:
    """Server-sent events for the page: `progress` whenever the run changes, then `end`."""
    await RunService(session, program).get(run_id)  # 404 before the stream starts
    return StreamingResponse(
        _events(request, program, run_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(request: Request, program: Any, run_id: uuid.UUID) -> AsyncIterator[str]:
    factory = request.app.state.session_factory
    last: str | None = None
    while not await request.is_disconnected():
        async with unit_of_work(factory, write=False) as session:
            run = await RunService(session, program).get(run_id)
            body = RunRead.model_validate(run).model_dump_json(exclude={"explanation"})
            finished = run.status in FINISHED
            status = run.status.value
        if body != last:
            yield f"event: progress\ndata: {body}\n\n"
            last = body
        if finished:
            yield f"event: end\ndata: {json.dumps({'status': status})}\n\n"
            return
        await asyncio.sleep(EVENT_POLL_SECONDS)


@router.post(BASE + "/runs/{run_id}/cancel")
async def cancel_run(
    request: Request, access: Manager, program: ProgramDep, session: SessionDep, run_id: uuid.UUID
) -> Any:
    page = program_url(program, "runs", str(run_id))
    try:
        await RunService(session, program).request_cancel(run_id)
    except Conflict:  # it ended meanwhile: the page shows how
        await session.rollback()
        return see_other(page)
    return see_other(page, "cancel-requested")


@router.post(BASE + "/runs/{run_id}/publish")
async def publish_run(
    request: Request, access: Manager, program: ProgramDep, session: SessionDep, run_id: uuid.UUID
) -> Any:
    service = RunService(session, program)
    try:
        run = await service.publish(run_id)
    except Conflict as error:
        await settle(session, error, program)
        run = await service.get(run_id)
        names = {str(p.id): p.name for p in await people_of(session, program)}
        return render(
            request,
            "run.html",
            {
                **program_context(request, access, program, "generate"),
                "run": run,
                "finished": run.status in FINISHED,
                "diff": None,
                "diff_error": None,
                "names": names,
                "elapsed": _elapsed(run),
                "explanation": run.explanation or [],
                "events_url": program_url(program, "runs", str(run.id), "events"),
                "publish_error": error.detail,
            },
            status_code=409,
        )
    block = "" if run.scope == "year" else f"&block={run.scope}"
    return see_other(
        program_url(program, "schedule") + f"?view=block&year={run.academic_year}{block}",
        "published",
    )
