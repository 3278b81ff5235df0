"""Sign-in helpers: users with real passwords, created through the admin API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.factories import ok

PASSWORD = "plum-Orbit-vessel-42"
TOKEN_URL = "/api/v1/auth/token"


async def make_user(
    admin: httpx.AsyncClient, username: str, password: str = PASSWORD, **extra: Any
) -> dict:
    payload = {"username": username, "password": password, **extra}
    return ok(await admin.post("/api/v1/admin/users", json=payload), 201)


async def login(http: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    return await http.post(TOKEN_URL, data={"username": username, "password": password})


async def tokens(http: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict:
    return ok(await login(http, username, password))


def auth(pair: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}
