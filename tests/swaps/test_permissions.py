"""Who may do what with swaps and leave: members act on their own, managers decide."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.api.factories import ok, problem
from tests.swaps.conftest import member
from tests.swaps.helpers import holder, proposal
from tests.swaps.world import World


async def test_faculty_act_on_their_own_swaps_only(
    app: FastAPI, anonymous: httpx.AsyncClient, client: httpx.AsyncClient, world: World
) -> None:
    f3, f4, f1 = [await member(app, world, name) for name in ("F3", "F4", "F1")]
    url = f"{world.base}/swaps"
    payload = proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    as_f4 = proposal(world, "clinic_session", "F4", "F3", "2026-09-07", "PM")
    problem(await anonymous.post(url, json=as_f4, headers=f3), 403)
    problem(await anonymous.post(f"{url}/validate", json=as_f4, headers=f1), 403)
    swap = ok(await anonymous.post(url, json=payload, headers=f3), 201)
    one = f"{url}/{swap['id']}"
    ok(await anonymous.post(f"{url}/validate", json=payload, headers=f3))
    ok(await anonymous.post(f"{one}/validate", headers=f4))
    # F1 is not part of it: cannot see, accept, decline or cancel it.
    problem(await anonymous.get(one, headers=f1), 403)
    for action in ("accept", "decline", "cancel", "validate"):
        problem(await anonymous.post(f"{one}/{action}", headers=f1), 403)
    problem(await anonymous.post(f"{one}/accept", headers=f3), 403)  # not the counterparty
    problem(await anonymous.post(f"{one}/cancel", headers=f4), 403)  # not the requester
    assert ok(await anonymous.post(f"{one}/accept", headers=f4))["status"] == "accepted"
    for action in ("approve", "deny", "execute", "rollback"):
        problem(await anonymous.post(f"{one}/{action}", headers=f4), 403)
    coordinator = await member(app, world, "Coordinator", "coordinator")
    chief = await member(app, world, "Chief", "chief")
    ok(await anonymous.post(f"{one}/approve", headers=coordinator))
    assert ok(await anonymous.post(f"{one}/execute", headers=chief))["status"] == "executed"
    assert await holder(client, world, "2026-09-07", "AM") == "F4"
    # History: their own swaps and open offers; one person's history is theirs alone.
    offer = {**proposal(world, "clinic_session", "F4", None, "2026-09-08", "PM"), "mode": "offer"}
    ok(await anonymous.post(url, json=offer, headers=f4), 201)
    ok(await client.post(url, json=proposal(world, "call_night", "F3", "F2", "2026-09-10")), 201)
    seen = ok(await anonymous.get(url, headers=f1))["items"]
    assert [s["mode"] for s in seen] == ["offer"]
    assert ok(await anonymous.get(url, headers=f3))["total"] == 3
    ok(await anonymous.get(f"{world.base}/people/{world.people['F3']}/swaps", headers=f3))
    problem(await anonymous.get(f"{world.base}/people/{world.people['F3']}/swaps", headers=f1), 403)
    claimed = await anonymous.post(f"{url}/{seen[0]['id']}/claim", headers=f1)
    assert ok(claimed)["counterparty_id"] == world.people["F1"]
    other = await anonymous.post(
        f"{url}/{seen[0]['id']}/claim", json={"person_id": world.people["F2"]}, headers=f1
    )
    problem(other, 403)


async def test_residents_request_and_leave_is_decided_by_managers(
    app: FastAPI, anonymous: httpx.AsyncClient, world: World
) -> None:
    r1 = await member(app, world, "R1", "resident")
    r2 = await member(app, world, "R2", "resident")
    url = f"{world.base}/swaps"
    swap = ok(
        await anonymous.post(
            url,
            json=proposal(world, "call_night", "R1", "R2", "2026-09-05", wanted="2026-09-12"),
            headers=r1,
        ),
        201,
    )
    ok(await anonymous.post(f"{url}/{swap['id']}/accept", headers=r2))
    problem(await anonymous.post(f"{url}/{swap['id']}/approve", headers=r2), 403)
    leave = ok(
        await anonymous.post(
            f"{world.base}/absences",
            json={
                "person_id": world.people["R1"],
                "kind": "vacation",
                "start_date": "2026-09-15",
                "end_date": "2026-09-15",
            },
            headers=r1,
        ),
        201,
    )
    one = f"{world.base}/absences/{leave['id']}"
    for action in ("approve", "deny"):
        problem(await anonymous.post(f"{one}/{action}", headers=r1), 403)
    problem(await anonymous.get(f"{one}/coverage", headers=r1), 403)
    faculty = await member(app, world, "F1")
    problem(await anonymous.post(f"{one}/approve", headers=faculty), 403)
    pick = {"gap": "faculty_call", "date": "2026-09-15", "person_id": world.people["F1"]}
    problem(await anonymous.post(f"{world.base}/coverage", json=pick, headers=faculty), 403)
    coordinator = await member(app, world, "Coordinator", "coordinator")
    decided = ok(await anonymous.post(f"{one}/approve", headers=coordinator))
    assert decided["absence"]["status"] == "approved"
