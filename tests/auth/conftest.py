"""Fixtures of the sign-in tests: a clock moved by hand, and a two-program world."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from residency.models_base import utcnow
from tests.api.factories import (
    base,
    block_by_number,
    make_activity,
    make_faculty,
    make_program,
    make_resident,
    make_rotation,
    ok,
    sign_in,
)


class FrozenClock:
    """The app's clock, stopped; tests move it with `advance`."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock(app: FastAPI) -> Iterator[FrozenClock]:
    frozen = FrozenClock(utcnow())
    real, app.state.clock = app.state.clock, frozen
    yield frozen
    app.state.clock = real


ROLES = ("admin", "coordinator", "chief", "faculty", "resident", "outsider")


@dataclass
class World:
    """Program A with one row of each kind, program B, and a signed-in user per role.

    `ids` maps a collection (the path segment before an id) to a row of program A;
    `owner` maps a collection to the person its row is about (the resident, R1).
    """

    program: dict
    other_program: dict
    resident: dict  # R1: the signed-in resident's own person
    other_resident: dict  # R2
    faculty: dict  # F1: the signed-in faculty member's own person
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    person_of: dict[str, str | None] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    own_absence: dict = field(default_factory=dict)
    other_absence: dict = field(default_factory=dict)


async def build_world(app: FastAPI, client: httpx.AsyncClient) -> World:
    program = await make_program(client, "Program A")
    other = await make_program(client, "Program B")
    r1 = await make_resident(client, program, "Rae Resident", pgy=2)
    r2 = await make_resident(client, program, "Ola Other", pgy=2)
    f1 = await make_faculty(client, program, "Dr Fay Faculty")
    world = World(program, other, r1, r2, f1)
    await _add_rows(client, world)
    await _add_users(app, client, world)
    return world


async def _add_rows(client: httpx.AsyncClient, world: World) -> None:
    program, url = world.program, base(world.program)
    clinic = await make_activity(client, program, "C")
    rotation = await make_rotation(client, program, "CLIN")
    block = await block_by_number(client, program, 3)
    years = ok(await client.get(f"{url}/academic-years"))
    plan = {"person_id": world.resident["id"], "block_id": block["id"], "half": 1}
    slot = {"person_id": world.resident["id"], "date": "2026-09-01", "session": "AM"}
    call = {
        "person_id": world.other_resident["id"],
        "kind": "call",
        "start_at": "2026-08-01T07:00:00-05:00",
        "end_at": "2026-08-02T07:00:00-05:00",
    }
    rows = {
        "rotation-plan": await _post(client, f"{url}/rotation-plan", plan, rotation=rotation),
        "assignments": await _post(client, f"{url}/assignments", slot, activity=clinic),
        "shifts": await _post(client, f"{url}/shifts", call),
        "holidays": await _post(
            client, f"{url}/holidays", {"date": "2026-12-25", "name": "X", "clinic_level": "closed"}
        ),
    }
    world.own_absence = await _leave(client, world, world.resident, "2026-10-05")
    world.other_absence = await _leave(client, world, world.other_resident, "2026-10-12")
    world.ids = {
        "programs": program["id"],
        "academic-years": years["items"][0]["id"],
        "blocks": block["id"],
        "people": world.resident["id"],
        "activities": clinic["id"],
        "rotations": rotation["id"],
        "absences": world.own_absence["id"],
        **{name: row["id"] for name, row in rows.items()},
    }
    world.owner = {"people": world.resident["id"], "absences": world.resident["id"]}


async def _post(client: httpx.AsyncClient, url: str, payload: dict, **refs: dict) -> dict:
    payload = {**payload, **{f"{name}_id": row["id"] for name, row in refs.items()}}
    return ok(await client.post(url, json=payload), 201)


async def _leave(client: httpx.AsyncClient, world: World, person: dict, start: str) -> dict:
    end = start[:-2] + f"{int(start[-2:]) + 2:02d}"
    payload = {"person_id": person["id"], "kind": "vacation", "start_date": start, "end_date": end}
    return ok(await client.post(f"{base(world.program)}/absences", json=payload), 201)


async def _add_users(app: FastAPI, client: httpx.AsyncClient, world: World) -> None:
    a, b = world.program["id"], world.other_program["id"]
    grants: dict[str, tuple[str, str, str | None]] = {
        "coordinator": (a, "coordinator", None),
        "chief": (a, "chief", None),
        "faculty": (a, "faculty", world.faculty["id"]),
        "resident": (a, "resident", world.resident["id"]),
        "outsider": (b, "coordinator", None),
    }
    world.headers["admin"] = {"Authorization": client.headers["Authorization"]}
    world.person_of["admin"] = None
    for role, grant in grants.items():
        world.headers[role] = await sign_in(app, f"{role}@test", roles=[grant])
        world.person_of[role] = grant[2]
    users = ok(await client.get("/api/v1/admin/users", params={"limit": 100}))
    world.ids["users"] = next(u["id"] for u in users["items"] if u["username"] == "resident@test")


@pytest.fixture
async def world(app: FastAPI, client: httpx.AsyncClient) -> World:
    return await build_world(app, client)
