"""My calendar (feed link shown once, copy, regenerate, revoke) and the generation page."""

from __future__ import annotations

import asyncio
import re
import uuid
from html import unescape

import httpx
from fastapi import FastAPI

from residency.db import unit_of_work
from residency.demo.generator import build_demo_program
from residency.demo.loader import load_program_file
from residency.programs.repository import ProgramRepository
from residency.runs.models import RunStatus
from residency.runs.schemas import RunCreate
from residency.runs.service import RunService
from tests.api.factories import make_program, make_resident
from tests.web.helpers import page_client, page_text

FEED = re.compile(r'id="feed-url" type="text" value="([^"]+)"')


async def test_my_calendar_shows_a_new_feed_link_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    program = await make_program(client)
    rae = await make_resident(client, program, "Rae", pgy=2)
    page = await page_client(app, "rae", roles=[(program["id"], "resident", rae["id"])])
    url = f"/ui/programs/{program['id']}/calendar"
    first = await page.get(url)
    assert "There is no feed link yet" in page_text(first.text)
    made = await page.post_form(f"{url}/regenerate")
    assert made.status_code == 200
    link = unescape(FEED.search(made.text).group(1))  # type: ignore[union-attr]
    assert link.startswith("http://test/cal/") and link.endswith(".ics")
    assert 'data-copy-target="feed-url"' in made.text
    feed = await page.http.get(link.removeprefix("http://test"))
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    later = await page.get(url)
    assert FEED.search(later.text) is None and "is never shown again" in page_text(later.text)
    newer = await page.post_form(f"{url}/regenerate")
    assert unescape(FEED.search(newer.text).group(1)) != link  # type: ignore[union-attr]
    assert (await page.http.get(link.removeprefix("http://test"))).status_code == 404
    other = await make_resident(client, program, "Ola", pgy=1)
    await page.post_form(f"{url}/revoke", {"person": other["id"]})  # ignored: own feed only
    assert "There is no feed link yet" in page_text((await page.get(url)).text)


async def test_generation_page_runs_a_block_and_publishes_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with unit_of_work(app.state.session_factory) as session:
        program = await load_program_file(session, build_demo_program())
    page = await page_client(app, "coco", roles=[(program.id, "coordinator", None)])
    url = f"/ui/programs/{program.id}/generate"
    form = await page.get(url)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    bad = await page.post_form(
        url, {"scope": "2", "academic_year": "2026", "time_limit_s": "0", "seed": "0"}
    )
    assert bad.status_code == 422
    assert "Time limit: Enter more than 0." in page_text(bad.text)
    fields = {
        "scope": "2",
        "academic_year": "2026",
        "time_limit_s": "60",
        "seed": "1",
        "idempotency_key": key,
    }
    started = await page.post_form(url, fields)
    assert started.status_code == 303
    run_url = started.headers["location"].split("?")[0]
    assert (await page.post_form(url, fields)).headers["location"].split("?")[0] == run_url
    running = await page.get(run_url)
    shown = page_text(running.text)
    assert "Cancel the run" in shown or "succeeded" in shown, shown[:800]
    events = []
    async with asyncio.timeout(240):
        async with page.http.stream("GET", f"{run_url}/events") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            async for line in stream.aiter_lines():
                if line.startswith("event: "):
                    events.append(line.removeprefix("event: "))
                if events and events[-1] == "end":
                    break
    assert events[0] == "progress" and events[-1] == "end"
    done = await page.get(run_url)
    text = page_text(done.text)
    assert "Draft compared with what is published" in text, text[:800]
    assert "slots added" in text
    published = await page.post_form(f"{run_url}/publish")
    assert published.status_code == 303
    assert "block=2" in published.headers["location"]
    grid = await page.get(published.headers["location"])
    assert "The draft is published" in page_text(grid.text)
    assert "nothing is published for these dates yet" not in page_text(grid.text)
    again = await page.post_form(f"{run_url}/publish")
    assert again.status_code == 409
    assert "The draft was not published" in page_text(again.text)


async def test_a_run_can_be_cancelled_and_an_infeasible_run_explains_itself(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    program = await make_program(client)
    rae = await make_resident(client, program, "Rae Resident", pgy=2)
    page = await page_client(app, "coco", roles=[(program["id"], "coordinator", None)])
    async with unit_of_work(app.state.session_factory) as session:
        stored = await ProgramRepository(session).get_or_404(uuid.UUID(program["id"]))
        service = RunService(session, stored)
        queued, _ = await service.create(RunCreate(scope=3), None)
        infeasible, _ = await service.create(RunCreate(scope=4), None)
        infeasible.status = RunStatus.INFEASIBLE
        infeasible.explanation = [
            {
                "rules": ["rotation_capacity"],
                "people": [rae["id"]],
                "dates": ["2026-09-24"],
                "message": "Block 4 needs 3 residents on FMIT; 1 is available",
            }
        ]
    base_url = f"/ui/programs/{program['id']}/runs"
    running = await page.get(f"{base_url}/{queued.id}")
    assert "Cancel the run" in page_text(running.text)
    assert f'data-run-events="{base_url}/{queued.id}/events"' in running.text
    cancelled = await page.post_form(f"{base_url}/{queued.id}/cancel")
    assert cancelled.status_code == 303
    after = page_text((await page.get(f"{base_url}/{queued.id}")).text)
    assert "The run was cancelled" in after and "Nothing published changed" in after
    explained = page_text((await page.get(f"{base_url}/{infeasible.id}")).text)
    assert "No compliant schedule exists" in explained
    assert "Block 4 needs 3 residents on FMIT; 1 is available" in explained
    assert "Rules: rotation_capacity" in explained and "People: Rae Resident" in explained
    assert "Publish the draft" not in explained
