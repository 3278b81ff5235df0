"""Schedule generation as a job: start, follow, cancel, compare, publish (real solver)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import httpx
import pytest
from fastapi import FastAPI

from residency.db import unit_of_work
from residency.demo.generator import build_demo_program
from residency.demo.loader import load_program_file
from residency.programs.repository import ProgramRepository
from tests.api.factories import make_activity, ok, problem

FINISHED = {"succeeded", "failed", "cancelled", "infeasible"}
WAIT_SECONDS = 240
POLL_SECONDS = 0.2


async def load_demo(app: FastAPI) -> str:
    async with unit_of_work(app.state.session_factory) as session:
        program = await load_program_file(session, build_demo_program())
    return f"/api/v1/programs/{program.id}"


async def wait_for(client: httpx.AsyncClient, run_url: str, statuses: set[str] = FINISHED) -> dict:
    """Poll the run until its status is one of `statuses`."""
    for _ in range(int(WAIT_SECONDS / POLL_SECONDS)):
        run = ok(await client.get(run_url))
        if run["status"] in statuses:
            return run
        await asyncio.sleep(POLL_SECONDS)
    pytest.fail(f"the run did not reach {statuses} within {WAIT_SECONDS} s")


async def count(client: httpx.AsyncClient, url: str) -> int:
    return ok(await client.get(url, params={"limit": 1}))["total"]


async def test_block_run_publishes_a_compliant_schedule(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    program = await load_demo(app)
    response = await client.post(
        f"{program}/schedule-runs", json={"scope": 2, "time_limit_s": 20, "seed": 1}
    )
    run = ok(response, 202)
    assert run["status"] == "queued"
    run_url = f"{program}/schedule-runs/{run['id']}"
    assert response.headers["Location"] == run_url
    # the API keeps answering while the solve runs in the process pool
    assert ok(await client.get(f"{program}/people"))["total"] == 31
    finished = await wait_for(client, run_url)
    assert finished["status"] == "succeeded", finished
    assert finished["started_at"] and finished["finished_at"]
    assert await count(client, f"{program}/assignments") == 0  # a draft publishes nothing

    diff = ok(await client.get(f"{run_url}/diff"))
    assert diff["added"] > 0 and diff["removed"] == 0
    published = ok(await client.post(f"{run_url}/publish"))
    assert published["published_at"]
    assert await count(client, f"{program}/assignments") == diff["added"]
    again = problem(await client.post(f"{run_url}/publish"), 409)
    assert again["rule"] == "run_already_published"

    block = ok(await client.get(f"{program}/blocks", params={"number": 2}))["items"][0]
    report = ok(
        await client.get(
            f"{program}/compliance",
            params={"start": block["start_date"], "end": block["end_date"]},
        )
    )
    assert [v for v in report["violations"] if v["severity"] == "violation"] == []


async def test_publish_is_refused_when_the_published_schedule_moved(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    program = await load_demo(app)
    run = ok(
        await client.post(f"{program}/schedule-runs", json={"scope": 5, "time_limit_s": 20}), 202
    )
    run_url = f"{program}/schedule-runs/{run['id']}"
    assert (await wait_for(client, run_url))["status"] == "succeeded"
    people = ok(await client.get(f"{program}/people", params={"role": "faculty"}))["items"]
    admin = await make_activity(client, {"id": program.rsplit("/", 1)[1]}, "XADM")
    manual = {
        "person_id": people[0]["id"],
        "date": "2026-07-04",
        "session": "AM",
        "activity_id": admin["id"],
    }
    ok(await client.post(f"{program}/assignments", json=manual), 201)
    body = problem(await client.post(f"{run_url}/publish"), 409)
    assert body["rule"] == "published_schedule_changed"
    assert await count(client, f"{program}/assignments") == 1
    assert ok(await client.get(run_url))["published_at"] is None


async def test_cancel_stops_the_solve_and_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    program = await load_demo(app)
    run = ok(
        await client.post(f"{program}/schedule-runs", json={"scope": "year", "time_limit_s": 600}),
        202,
    )
    run_url = f"{program}/schedule-runs/{run['id']}"
    await wait_for(client, run_url, {"running", *FINISHED})
    cancelled_at = time.monotonic()
    ok(await client.post(f"{run_url}/cancel"), 202)
    finished = await wait_for(client, run_url)
    assert finished["status"] == "cancelled"
    assert time.monotonic() - cancelled_at < 30  # generous: correctness, not speed
    assert problem(await client.post(f"{run_url}/publish"), 409)["rule"] == "run_has_no_draft"
    assert problem(await client.post(f"{run_url}/cancel"), 409)["rule"] == "run_finished"
    assert await count(client, f"{program}/assignments") == 0


async def test_idempotency_key_starts_one_run(client: httpx.AsyncClient, app: FastAPI) -> None:
    program = await load_demo(app)
    payload = {"scope": 3, "time_limit_s": 5}
    headers = {"Idempotency-Key": "run-3-once"}
    first = ok(await client.post(f"{program}/schedule-runs", json=payload, headers=headers), 202)
    second = ok(await client.post(f"{program}/schedule-runs", json=payload, headers=headers), 202)
    assert first["id"] == second["id"]
    assert ok(await client.get(f"{program}/schedule-runs"))["total"] == 1
    other = {**payload, "seed": 9}
    body = problem(await client.post(f"{program}/schedule-runs", json=other, headers=headers), 409)
    assert (body["rule"], body["run_id"]) == ("idempotency_key_reused", first["id"])
    await wait_for(client, f"{program}/schedule-runs/{first['id']}")


async def test_progress_streams_as_server_sent_events(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    program = await load_demo(app)
    run = ok(
        await client.post(f"{program}/schedule-runs", json={"scope": 4, "time_limit_s": 10}), 202
    )
    events: list[tuple[str, dict]] = []
    async with client.stream(
        "GET", f"{program}/schedule-runs/{run['id']}/events", timeout=WAIT_SECONDS
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        name = ""
        async for line in stream.aiter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((name, json.loads(line.removeprefix("data: "))))
    assert events[0][0] == "progress" and events[-1][0] == "end"
    assert events[-1][1]["status"] == "succeeded"
    seen = [data["status"] for name, data in events if name == "progress"]
    order = ["queued", "running", "succeeded"]  # a fast block may skip a state between polls
    ranks = [order.index(status) for status in seen]
    assert ranks == sorted(ranks) and seen[-1] == "succeeded"
    last = next(data for name, data in reversed(events) if name == "progress")
    assert last["progress"] == 1.0 and last["finished_at"]


async def test_bad_run_requests(client: httpx.AsyncClient, app: FastAPI) -> None:
    program = await load_demo(app)
    url = f"{program}/schedule-runs"
    body = problem(await client.post(url, json={"scope": 14}), 422)
    assert {e["field"] for e in body["errors"]} == {"scope"}
    body = problem(await client.post(url, json={"scope": "decade"}), 422)
    assert body["errors"]
    body = problem(await client.post(url, json={"time_limit_s": 0}), 422)
    assert {e["field"] for e in body["errors"]} == {"time_limit_s"}
    body = problem(await client.post(url, json={"academic_year": 2030}), 422)
    assert {e["field"] for e in body["errors"]} == {"academic_year"}
    assert ok(await client.get(url))["total"] == 0


async def test_publication_claims_the_version_it_started_from_or_nothing(
    client: httpx.AsyncClient, app: FastAPI, backend: str
) -> None:
    """Publishing bumps the schedule version last and only from the run's base version
    (runs/service.py): a change that commits first, even while the publication waits for
    the program row, makes the bump find nothing, so the publication is refused."""
    program = await load_demo(app)
    program_id = uuid.UUID(program.rsplit("/", 1)[1])
    factory = app.state.session_factory
    async with unit_of_work(factory) as session:
        base = await ProgramRepository(session).schedule_version(program_id)
    async with unit_of_work(factory) as session:
        assert (
            await ProgramRepository(session).bump_schedule_version(program_id, expected=base)
            == base + 1
        )
    async with unit_of_work(factory) as session:  # stale: base is no longer current
        assert (
            await ProgramRepository(session).bump_schedule_version(program_id, expected=base)
            is None
        )
    if backend == "sqlite":
        return  # one writer at a time: nothing can hold the row meanwhile
    current = base + 1
    async with unit_of_work(factory) as change:  # a swap, say, at its last step
        assert (
            await ProgramRepository(change).bump_schedule_version(program_id, expected=current)
            == current + 1
        )

        async def publication() -> int | None:
            async with unit_of_work(factory) as session:
                return await ProgramRepository(session).bump_schedule_version(
                    program_id, expected=current
                )

        waiting = asyncio.create_task(publication())
        await asyncio.sleep(0.3)
        assert not waiting.done()  # it waits for the change holding the row
    assert await waiting is None  # and then sees the version that change wrote
