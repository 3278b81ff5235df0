"""Payloads and steps shared by the swap tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.factories import ok
from tests.swaps.world import World


def proposal(
    world: World,
    kind: str,
    a: str,
    b: str | None,
    offered: str,
    session: str | None = None,
    wanted: str | None = None,
    wanted_session: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "kind": kind,
        "requester_id": world.people[a],
        "offered": {"date": offered, "session": session},
        **extra,
    }
    if b is not None:
        payload["counterparty_id"] = world.people[b]
    if wanted is not None:
        payload["wanted"] = {"date": wanted, "session": wanted_session}
    return payload


async def request(client: httpx.AsyncClient, world: World, payload: dict[str, Any]) -> dict:
    return ok(await client.post(f"{world.base}/swaps", json=payload), 201)


async def step(
    client: httpx.AsyncClient, world: World, swap: dict, action: str, status: int = 200, **kw: Any
) -> dict:
    response = await client.post(f"{world.base}/swaps/{swap['id']}/{action}", **kw)
    assert response.status_code == status, response.text
    return response.json()


async def executed(client: httpx.AsyncClient, world: World, payload: dict[str, Any]) -> dict:
    """Request, accept, approve and execute (as the admin client)."""
    swap = await request(client, world, payload)
    await step(client, world, swap, "accept")
    await step(client, world, swap, "approve")
    return await step(client, world, swap, "execute")


async def holder(
    client: httpx.AsyncClient, world: World, day: str, session: str, activity: str = "AT"
) -> str | None:
    """The name of whoever holds `activity` in the slot."""
    rows = ok(
        await client.get(
            f"{world.base}/assignments",
            params={
                "date_from": day,
                "date_to": day,
                "session": session,
                "activity_id": world.activities[activity],
            },
        )
    )["items"]
    assert len(rows) <= 1, rows
    return world.name_of(rows[0]["person_id"]) if rows else None


async def shift_holders(client: httpx.AsyncClient, world: World, kind: str, day: str) -> list[str]:
    rows = ok(
        await client.get(
            f"{world.base}/shifts",
            params={
                "kind": kind,
                "date_from": day,
                "date_to": day,
            },
        )
    )["items"]
    return sorted(world.name_of(r["person_id"]) for r in rows)


async def violations(client: httpx.AsyncClient, world: World) -> list[dict]:
    report = ok(
        await client.get(
            f"{world.base}/compliance", params={"start": "2026-09-04", "end": "2026-09-17"}
        )
    )
    return [v for v in report["violations"] if v["severity"] == "violation"]
