"""Login throttling: per account and per client address, in the database, failing closed."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from residency.app import create_app
from residency.auth.repository import ThrottleRepository
from residency.config import Settings
from tests.api.factories import ok, problem
from tests.auth.conftest import FrozenClock
from tests.auth.helpers import PASSWORD, TOKEN_URL, login, make_user

WRONG = "wrong-password-123"


def from_client(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_account_lockout_engages_and_expires(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, clock: FrozenClock
) -> None:
    await make_user(client, "casey")
    for _ in range(5):
        problem(await login(anonymous, "casey", WRONG), 401)
    locked = await login(anonymous, "casey")  # even the right password
    body = problem(locked, 429)
    assert locked.headers["Retry-After"] == "900" == str(body["retry_after"])
    clock.advance(minutes=10)
    assert problem(await login(anonymous, "casey"), 429)["retry_after"] == 300
    clock.advance(minutes=5)
    ok(await login(anonymous, "casey"))


async def test_failures_outside_the_window_and_before_a_success_are_forgotten(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, clock: FrozenClock
) -> None:
    await make_user(client, "casey")
    for _ in range(4):
        problem(await login(anonymous, "casey", WRONG), 401)
    clock.advance(minutes=16)
    for _ in range(4):
        problem(await login(anonymous, "casey", WRONG), 401)
    ok(await login(anonymous, "casey"))
    for _ in range(4):
        problem(await login(anonymous, "casey", WRONG), 401)
    ok(await login(anonymous, "casey"))


async def test_one_client_address_is_locked_out_across_accounts(
    app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
) -> None:
    await make_user(client, "casey")
    async with (
        from_client(app, "203.0.113.9") as guesser,
        from_client(app, "198.51.100.7") as other,
    ):
        for attempt in range(20):  # 20 different accounts, one try each
            problem(await login(guesser, f"user{attempt}", WRONG), 401)
        locked = await login(guesser, "casey")
        assert "client address" in problem(locked, 429)["detail"]
        ok(await login(other, "casey"))
        clock.advance(minutes=15)
        ok(await login(guesser, "casey"))


async def test_parallel_guesses_cannot_slip_past_the_count(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await make_user(client, "casey")
    answers = await asyncio.gather(*(login(anonymous, "casey", WRONG) for _ in range(10)))
    assert sorted(response.status_code for response in answers) == [401] * 5 + [429] * 5


async def test_the_lockout_holds_across_processes(
    settings: Settings, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await make_user(client, "casey")
    for _ in range(5):
        problem(await login(anonymous, "casey", WRONG), 401)
    second_process = create_app(settings)  # another API process on the same database
    async with LifespanManager(second_process), from_client(second_process, "127.0.0.1") as http:
        problem(await login(http, "casey"), 429)


async def test_it_fails_closed_when_the_throttle_state_is_unavailable(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user(client, "casey")

    async def broken(*_args: object) -> None:
        raise OperationalError("SELECT", {}, Exception("the throttle table is gone"))

    monkeypatch.setattr(ThrottleRepository, "lock", broken)
    response = await anonymous.post(TOKEN_URL, data={"username": "casey", "password": PASSWORD})
    assert problem(response, 429)["detail"] == "sign-in is unavailable; try again later"
    assert int(response.headers["Retry-After"]) > 0
    assert "access_token" not in response.text
