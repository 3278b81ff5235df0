"""Fifty conflicting swap executions fired at once through the HTTP API.

Three clinic slots, each held by one preceptor: X = 09-14 AM (F3), Y = 09-14 PM (F1),
Z = 09-15 AM (F4). Forty-eight approved give-aways hand one of them to one of sixteen
free faculty members (F5..F20), and two approved one-to-one swaps exchange X with Y and
X with Z. All fifty executions start together (asyncio.gather). Whatever the order:

- exactly one executed swap touches each slot; every other execution answers 409;
- no slot is double-booked and no update is lost: each slot has one preceptor, the one
  its winning swap put there, and each changed row moved exactly once (version 2);
- the final schedule is compliant for everyone involved;
- the audit trail matches the final state: one `execute` entry per winning swap, one
  `update` entry per changed row, whose `after` is the row as it now stands.

Runs on PostgreSQL (row and advisory locks; the app's pool allows 60 connections) and
on SQLite (BEGIN IMMEDIATE: one writer at a time).
"""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from tests.api.factories import ok
from tests.auth.conftest import FrozenClock
from tests.swaps.world import World, build_world, schedule_version

X, Y, Z = ("2026-09-14", "AM"), ("2026-09-14", "PM"), ("2026-09-15", "AM")
HOLDERS = {X: "F3", Y: "F1", Z: "F4"}
RECIPIENTS = [f"F{n}" for n in range(5, 21)]


async def _approved(client: httpx.AsyncClient, world: World, payload: dict) -> dict:
    swap = ok(await client.post(f"{world.base}/swaps", json=payload), 201)
    ok(await client.post(f"{world.base}/swaps/{swap['id']}/accept"))
    return ok(await client.post(f"{world.base}/swaps/{swap['id']}/approve"))


def _clinic(world: World, a: str, slot: tuple[str, str], b: str, wanted=None) -> dict:
    payload = {
        "kind": "clinic_session",
        "requester_id": world.people[a],
        "counterparty_id": world.people[b],
        "offered": {"date": slot[0], "session": slot[1]},
    }
    if wanted is not None:
        payload["wanted"] = {"date": wanted[0], "session": wanted[1]}
    return payload


async def test_fifty_conflicting_executions(
    app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
) -> None:
    world = await build_world(app, extra_faculty=16)
    swaps: list[tuple[dict, set[tuple[str, str]]]] = []
    for slot, holder in HOLDERS.items():
        for recipient in RECIPIENTS:
            swap = await _approved(client, world, _clinic(world, holder, slot, recipient))
            swaps.append((swap, {slot}))
    for other in (Y, Z):
        payload = _clinic(world, "F3", X, HOLDERS[other], wanted=other)
        swaps.append((await _approved(client, world, payload), {X, other}))
    assert len(swaps) == 50
    version_before = await schedule_version(app, world)

    responses = await asyncio.gather(
        *(client.post(f"{world.base}/swaps/{swap['id']}/execute") for swap, _ in swaps)
    )

    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 409}, [r.text for r in responses if r.status_code != 200][:3]
    won = [
        (r.json(), slots)
        for r, (_, slots) in zip(responses, swaps, strict=True)
        if r.status_code == 200
    ]
    for slot in HOLDERS:
        assert sum(slot in slots for _, slots in won) == 1, (slot, [s for _, s in won])
    refused = {r.json()["rule"] for r in responses if r.status_code == 409}
    assert refused <= {"unit_not_held", "post_call", "swap_status"}, refused

    # No double booking, no lost update: one preceptor per slot, the winner's choice.
    rows = ok(
        await client.get(
            f"{world.base}/assignments",
            params={
                "activity_id": world.activities["AT"],
                "date_from": "2026-09-14",
                "date_to": "2026-09-15",
                "limit": 1000,
            },
        )
    )["items"]
    by_slot: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by_slot.setdefault((row["date"], row["session"]), []).append(row)
    for slot in HOLDERS:
        assert len(by_slot[slot]) == 1, by_slot[slot]
    changed = {c["id"]: c for swap, _ in won for c in swap["changes"]}
    for row in rows:
        if row["id"] in changed:
            after = changed[row["id"]]["after"]
            assert (row["person_id"], row["activity_id"], row["version"]) == (
                after["person_id"],
                after["activity_id"],
                after["version"],
            )
            assert row["version"] == 2
    assert await schedule_version(app, world) == version_before + len(won)

    # Compliant for everyone involved.
    report = ok(
        await client.get(
            f"{world.base}/compliance", params={"start": "2026-09-04", "end": "2026-09-17"}
        )
    )
    assert [v for v in report["violations"] if v["severity"] == "violation"] == []

    # The audit trail matches the final state.
    audit = ok(await client.get(f"{world.base}/audit", params={"limit": 1000}))["items"]
    executes = [e for e in audit if e["action"] == "execute"]
    assert sorted(e["entity_id"] for e in executes) == sorted(s["id"] for s, _ in won)
    for row_id, change in changed.items():
        entries = [e for e in audit if e["entity_id"] == row_id and e["action"] == "update"]
        assert len(entries) == 1, entries
        assert entries[0]["after"]["person_id"] == change["after"]["person_id"]
        assert entries[0]["after"]["version"] == change["after"]["version"]
