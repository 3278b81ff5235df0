"""The demo program, loaded through the same services as the API, seen through the API."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from residency.db import unit_of_work
from residency.demo.generator import build_demo_program
from residency.demo.loader import load_program_file
from tests.api.factories import ok


async def test_demo_program_loads_and_is_served(client: httpx.AsyncClient, app: FastAPI) -> None:
    async with unit_of_work(app.state.session_factory) as session:
        program = await load_program_file(session, build_demo_program())
    url = f"/api/v1/programs/{program.id}"
    people = ok(await client.get(f"{url}/people", params={"limit": 100}))
    residents = [p for p in people["items"] if p["role"] == "resident"]
    assert (people["total"], len(residents)) == (31, 18)
    assert sorted(p["pgy"] for p in residents) == [1] * 6 + [2] * 6 + [3] * 6
    roles = sorted(p["faculty_role"] for p in people["items"] if p["role"] == "faculty")
    assert roles.count("core") == 6 and roles.count("adjunct") == 2
    assert ok(await client.get(f"{url}/rotations"))["total"] == 13
    assert ok(await client.get(f"{url}/blocks"))["total"] == 14
    assert ok(await client.get(f"{url}/rotation-plan", params={"limit": 1000}))["total"] == 18 * 14
    assert ok(await client.get(f"{url}/holidays"))["total"] >= 11
    absences = ok(await client.get(f"{url}/absences"))
    assert absences["total"] >= 6
    assert {a["status"] for a in absences["items"]} >= {"approved", "requested"}
