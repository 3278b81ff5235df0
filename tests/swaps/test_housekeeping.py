"""Housekeeping (housekeeping.py): overdue swaps expire and stale sign-in throttle rows go
with the passing of time alone, without anyone acting on them."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import select

from residency.app import create_app
from residency.auth.models import LoginThrottle
from residency.config import Settings
from residency.db import unit_of_work
from residency.housekeeping import sweep
from tests.api.factories import ok
from tests.auth.conftest import FrozenClock
from tests.swaps.helpers import proposal, request
from tests.swaps.world import World


async def _status(client: httpx.AsyncClient, world: World, swap: dict) -> str:
    return ok(await client.get(f"{world.base}/swaps/{swap['id']}"))["status"]


async def test_a_pass_expires_overdue_swaps_as_the_system(
    app: FastAPI, client: httpx.AsyncClient, world: World, clock: FrozenClock
) -> None:
    early = await request(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    later = await request(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-14", "AM")
    )
    clock.advance(days=40)  # 2026-09-12: the first is overdue, the second is not
    swept = await sweep(app.state.session_factory, clock.now(), app.state.settings)
    assert swept.expired_swaps == 1
    assert (await _status(client, world, early), await _status(client, world, later)) == (
        "expired",
        "requested",
    )
    audit = ok(
        await client.get(
            f"{world.base}/audit", params={"action": "expire", "entity_id": early["id"]}
        )
    )["items"]
    assert [(e["actor"], e["before"]["status"], e["after"]["status"]) for e in audit] == [
        ("system", "requested", "expired")
    ]
    again = await sweep(app.state.session_factory, clock.now(), app.state.settings)
    assert again.expired_swaps == 0


async def test_a_pass_purges_only_throttle_rows_that_hold_nothing(
    app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
) -> None:
    now, settings = clock.now(), app.state.settings
    window = timedelta(minutes=settings.login_failure_window_minutes)
    rows = {
        "account:stale": dict(window_started_at=now - window - timedelta(minutes=1)),
        "account:counting": dict(window_started_at=now - timedelta(minutes=1), failures=2),
        "account:locked": dict(
            window_started_at=now - 2 * window, failures=5, locked_until=now + timedelta(minutes=5)
        ),
        "client:lockout-over": dict(
            window_started_at=now - 3 * window, failures=20, locked_until=now - timedelta(minutes=1)
        ),
    }
    async with unit_of_work(app.state.session_factory) as session:
        session.add_all(LoginThrottle(id=uuid.uuid4(), key=key, **row) for key, row in rows.items())
    swept = await sweep(app.state.session_factory, now, settings)
    async with unit_of_work(app.state.session_factory, write=False) as session:
        kept = set((await session.execute(select(LoginThrottle.key))).scalars())
    assert swept.purged_throttle_rows == 2
    assert kept == {"account:counting", "account:locked"}


async def test_each_api_process_sweeps_on_its_own(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    """An API process with housekeeping on expires an overdue swap by itself (its clock
    is the real one, long past the swap's date)."""
    swap = await request(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    process = create_app(settings.model_copy(update={"housekeeping_interval_s": 0.05}))
    async with LifespanManager(process):
        for _ in range(100):
            if await _status(client, world, swap) == "expired":
                break
            await asyncio.sleep(0.05)
    assert await _status(client, world, swap) == "expired"
