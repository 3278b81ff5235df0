"""Rollback (inside its window, refused after a later change) and Idempotency-Key."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from tests.api.factories import ok, problem
from tests.auth.conftest import FrozenClock
from tests.swaps.helpers import executed, holder, proposal, request, step, violations
from tests.swaps.world import World, schedule_version


async def test_a_rollback_restores_the_rows_and_is_audited(
    app: FastAPI, client: httpx.AsyncClient, world: World
) -> None:
    done = await executed(
        client, world, proposal(world, "call_night", "F3", "F4", "2026-09-07", wanted="2026-09-08")
    )
    version = await schedule_version(app, world)
    undone = await step(client, world, done, "rollback", json={"reason": "wrong nights"})
    assert (undone["status"], undone["rolled_back_at"] is not None) == ("rolled_back", True)
    assert await holder(client, world, "2026-09-09", "AM") == "F3"
    assert {c["id"] for c in undone["rollback_changes"]} == {c["id"] for c in done["changes"]}
    for forward, back in zip(
        sorted(done["changes"], key=lambda c: c["id"]),
        sorted(undone["rollback_changes"], key=lambda c: c["id"]),
        strict=True,
    ):
        assert back["before"] == forward["after"]
        assert back["after"]["person_id"] == forward["before"]["person_id"]
        assert back["after"]["version"] == forward["after"]["version"] + 1
    assert await schedule_version(app, world) == version + 1
    audit = ok(await client.get(f"{world.base}/audit", params={"entity_id": done["id"]}))
    assert audit["items"][0]["action"] == "rollback"
    assert await violations(client, world) == []
    again = await step(client, world, done, "rollback", 409)
    assert again["rule"] == "swap_not_executed"


async def test_a_rollback_after_the_window_is_refused(
    client: httpx.AsyncClient, world: World, clock: FrozenClock
) -> None:
    done = await executed(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    clock.advance(hours=24, seconds=1)
    body = await step(client, world, done, "rollback", 409)
    assert body["rule"] == "rollback_window_passed"
    assert await holder(client, world, "2026-09-07", "AM") == "F4"


async def test_a_rollback_after_a_later_overlapping_change_is_409_naming_it(
    client: httpx.AsyncClient, world: World
) -> None:
    done = await executed(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    row_id = done["changes"][0]["id"]
    # A coordinator edits the row the swap moved (here: locks it).
    edited = ok(await client.patch(f"{world.base}/assignments/{row_id}", json={"locked": True}))
    body = await step(client, world, done, "rollback", 409)
    assert body["rule"] == "changed_since_swap"
    assert (body["table"], body["row_id"]) == ("assignments", row_id)
    later = body["later_change"]
    assert (later["action"], later["actor"]) == ("update", "admin@test")
    assert later["audit_id"] and later["at"]
    assert await holder(client, world, "2026-09-07", "AM") == "F4"
    assert ok(await client.get(f"{world.base}/swaps/{done['id']}"))["status"] == "executed"
    assert edited["version"] == done["changes"][0]["after"]["version"] + 1


async def test_a_rollback_after_another_swap_of_the_same_row_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    first = await executed(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    second = await executed(
        client, world, proposal(world, "clinic_session", "F4", "F3", "2026-09-07", "AM")
    )
    body = await step(client, world, first, "rollback", 409)
    assert body["rule"] == "changed_since_swap"
    assert body["later_change"]["action"] == "update"
    # The later swap can be undone, then the first one.
    await step(client, world, second, "rollback")
    assert await holder(client, world, "2026-09-07", "AM") == "F4"
    body = await step(client, world, first, "rollback", 409)  # the row moved twice since
    assert body["rule"] == "changed_since_swap"


async def test_a_rollback_onto_a_slot_taken_since_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    done = await executed(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    taken = ok(
        await client.post(
            f"{world.base}/assignments",
            json={
                "person_id": world.people["F3"],
                "date": "2026-09-07",
                "session": "AM",
                "activity_id": world.activities["ADM"],
            },
        ),
        201,
    )
    body = await step(client, world, done, "rollback", 409)
    assert (body["rule"], body["row_id"]) == ("changed_since_swap", taken["id"])
    assert body["later_change"]["action"] == "create"


async def test_a_replayed_idempotency_key_executes_once(
    client: httpx.AsyncClient, world: World
) -> None:
    swap = await request(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    await step(client, world, swap, "accept")
    await step(client, world, swap, "approve")
    url = f"{world.base}/swaps/{swap['id']}/execute"
    key = {"Idempotency-Key": "execute-once"}
    answers = await asyncio.gather(*(client.post(url, headers=key) for _ in range(5)))
    assert [a.status_code for a in answers] == [200] * 5
    bodies = [a.json() for a in answers]
    assert all(body == bodies[0] for body in bodies)
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 4
    audit = ok(await client.get(f"{world.base}/audit", params={"action": "execute"}))
    assert audit["total"] == 1
    row = bodies[0]["changes"][0]
    row_audit = ok(await client.get(f"{world.base}/audit", params={"entity_id": row["id"]}))
    assert row_audit["total"] == 1
    problem(await client.post(url), 409)  # without the key: it is executed already
    other = await request(
        client, world, proposal(world, "clinic_session", "F4", "F1", "2026-09-07", "PM")
    )
    reused = await client.post(f"{world.base}/swaps/{other['id']}/execute", headers=key)
    assert problem(reused, 409)["rule"] == "idempotency_key_reused"
    rollback_key = {"Idempotency-Key": "undo-once"}
    first = ok(await client.post(f"{world.base}/swaps/{swap['id']}/rollback", headers=rollback_key))
    replay = await client.post(f"{world.base}/swaps/{swap['id']}/rollback", headers=rollback_key)
    assert (replay.status_code, replay.json()) == (200, first)
    assert await holder(client, world, "2026-09-07", "AM") == "F3"
