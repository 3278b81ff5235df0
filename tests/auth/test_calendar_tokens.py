"""Calendar feed tokens: one per person, shown once, stored hashed, regenerate revokes."""

from __future__ import annotations

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, FastAPI
from sqlalchemy import text

import residency.app as app_module
from residency.auth.permissions import Permission
from residency.config import Settings
from residency.db import unit_of_work
from residency.errors import NotFound
from residency.feeds.access import CalendarFeedGuard, CalendarFeedPerson
from tests.api.factories import base, ok, problem
from tests.auth.conftest import World


async def feed_person(app: FastAPI, token: str) -> str:
    """What a calendar route's `CalendarFeedPerson` dependency resolves the token to."""
    async with unit_of_work(app.state.session_factory, write=False) as session:
        person = await CalendarFeedGuard(Permission.CALENDAR_FEED)(token, session)
        return str(person.id)


async def test_regenerating_revokes_the_old_token(
    app: FastAPI, world: World, anonymous: httpx.AsyncClient
) -> None:
    me = world.headers["resident"]
    url = f"{base(world.program)}/people/{world.resident['id']}/calendar-token"
    assert ok(await anonymous.get(url, headers=me))["active"] is False
    first = ok(await anonymous.post(url, headers=me), 201)
    assert await feed_person(app, first["token"]) == world.resident["id"]
    second = ok(await anonymous.post(url, headers=me), 201)
    assert second["token"] != first["token"]
    with pytest.raises(NotFound):
        await feed_person(app, first["token"])
    assert await feed_person(app, second["token"]) == world.resident["id"]
    status = ok(await anonymous.get(url, headers=me))
    assert status["active"] is True and "token" not in status
    assert (await anonymous.delete(url, headers=me)).status_code == 204
    with pytest.raises(NotFound):
        await feed_person(app, second["token"])


async def test_only_a_digest_is_stored(
    app: FastAPI, world: World, anonymous: httpx.AsyncClient
) -> None:
    url = f"{base(world.program)}/people/{world.resident['id']}/calendar-token"
    token = ok(await anonymous.post(url, headers=world.headers["resident"]), 201)["token"]
    async with app.state.engine.connect() as connection:
        stored = (await connection.execute(text("SELECT token_hash FROM calendar_tokens"))).all()
        trail = (await connection.execute(text("SELECT before, after FROM audit_log"))).all()
    assert len(stored) == 1 and stored[0][0] != token and len(stored[0][0]) == 64
    assert token not in str(trail) and stored[0][0] not in str(trail)


async def test_only_the_person_or_a_manager_handles_a_feed_token(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    url = f"{base(world.program)}/people/{world.resident['id']}/calendar-token"
    problem(await anonymous.post(url, headers=world.headers["faculty"]), 403)
    problem(await anonymous.get(url, headers=world.headers["faculty"]), 403)
    problem(await anonymous.post(url, headers=world.headers["outsider"]), 404)
    ok(await anonymous.post(url, headers=world.headers["coordinator"]), 201)


async def test_a_feed_token_is_not_a_bearer_token(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    url = f"{base(world.program)}/people/{world.resident['id']}/calendar-token"
    token = ok(await anonymous.post(url, headers=world.headers["resident"]), 201)["token"]
    problem(
        await anonymous.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}), 401
    )


async def test_a_feed_route_takes_the_feed_token_and_nothing_else(
    settings: Settings, world: World, anonymous: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeds = APIRouter()

    @feeds.get("/calendar/{token}.ics")  # the shape issue 8's feed routes take
    async def feed(person: CalendarFeedPerson) -> dict[str, str]:
        return {"person": person.name}

    monkeypatch.setattr(app_module, "DOMAIN_ROUTERS", (*app_module.DOMAIN_ROUTERS, feeds))
    url = f"{base(world.program)}/people/{world.resident['id']}/calendar-token"
    token = ok(await anonymous.post(url, headers=world.headers["resident"]), 201)["token"]
    fresh = app_module.create_app(settings)
    assert fresh.openapi()["paths"]["/api/v1/calendar/{token}.ics"]["get"]["x-permission"] == (
        "calendar.feed"
    )
    async with LifespanManager(fresh):
        transport = httpx.ASGITransport(app=fresh)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            assert ok(await http.get(f"/api/v1/calendar/{token}.ics")) == {"person": "Rae Resident"}
            admin = world.headers["admin"]
            problem(await http.get("/api/v1/calendar/not-a-token.ics", headers=admin), 404)
