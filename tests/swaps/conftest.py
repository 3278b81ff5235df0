"""Fixtures of the swap and leave tests: the clock at 2026-08-03, a compliant schedule,
and signed-in users linked to its people."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from tests.api.factories import sign_in
from tests.auth.conftest import FrozenClock
from tests.swaps.world import NOW, World, build_world


@pytest.fixture
def clock(app: FastAPI) -> Iterator[FrozenClock]:
    frozen = FrozenClock(NOW)
    real, app.state.clock = app.state.clock, frozen
    yield frozen
    app.state.clock = real


@pytest.fixture
async def world(app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock) -> World:
    return await build_world(app)


async def member(app: FastAPI, world: World, name: str, role: str = "faculty") -> dict[str, str]:
    """Headers of a user with `role` in the world's program, linked to person `name`."""
    grant = (world.program_id, role, world.people.get(name))
    return await sign_in(app, f"{name.lower()}-{role}-{world.program_id[:8]}@test", roles=[grant])
