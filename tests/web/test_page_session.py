"""The page session: sign-in through the form, the signed cookie, refresh, CSRF, sign-out."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from residency.auth.models import AuthSession
from residency.db import unit_of_work
from residency.web.session import PRESESSION_COOKIE, SESSION_COOKIE
from tests.api.factories import make_program
from tests.auth.conftest import FrozenClock
from tests.auth.helpers import PASSWORD, make_user
from tests.web.helpers import CSRF_INPUT, is_sign_in_redirect, page_client, page_text


def cookie_header(response: httpx.Response, name: str) -> str:
    found = [v for v in response.headers.get_list("set-cookie") if v.startswith(f"{name}=")]
    assert found, f"no {name} cookie set"
    return found[-1]


async def sign_in_form(anonymous: httpx.AsyncClient) -> str:
    page = await anonymous.get("/ui/sign-in")
    assert page.status_code == 200
    presession = cookie_header(page, PRESESSION_COOKIE)
    assert "HttpOnly" in presession and "SameSite=strict" in presession
    match = CSRF_INPUT.search(page.text)
    assert match is not None
    return match.group(1)


async def test_sign_in_sets_a_signed_http_only_strict_cookie(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    program = await make_program(client)
    await make_user(client, "casey", roles=[{"program_id": program["id"], "role": "coordinator"}])
    csrf = await sign_in_form(anonymous)
    response = await anonymous.post(
        "/ui/sign-in",
        data={"username": "Casey", "password": PASSWORD, "csrf_token": csrf, "next": "/ui/"},
    )
    assert (response.status_code, response.headers["location"]) == (303, "/ui/")
    cookie = cookie_header(response, SESSION_COOKIE)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Max-Age=604800" in cookie  # as long as the refresh token
    home = await anonymous.get("/ui/", follow_redirects=True)
    assert home.status_code == 200
    assert str(home.url).endswith(f"/ui/programs/{program['id']}/schedule")
    assert "Signed in as casey (coordinator)" in page_text(home.text)


async def test_wrong_password_shows_in_place_and_counts_toward_lockout(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await make_user(client, "casey")
    csrf = await sign_in_form(anonymous)
    for attempt in range(5):
        response = await anonymous.post(
            "/ui/sign-in",
            data={"username": "casey", "password": f"wrong-{attempt}", "csrf_token": csrf},
        )
        assert response.status_code == 401
        assert "Wrong username or password" in page_text(response.text)
        assert 'value="casey"' in response.text  # the username stays filled in
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    locked = await anonymous.post(
        "/ui/sign-in", data={"username": "casey", "password": PASSWORD, "csrf_token": csrf}
    )
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in page_text(locked.text)


async def test_sign_in_form_needs_its_csrf_token_and_fields(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await make_user(client, "casey")
    csrf = await sign_in_form(anonymous)
    forged = await anonymous.post(
        "/ui/sign-in", data={"username": "casey", "password": PASSWORD, "csrf_token": "x"}
    )
    assert forged.status_code == 403
    other_site = await anonymous.post(
        "/ui/sign-in",
        data={"username": "casey", "password": PASSWORD, "csrf_token": csrf},
        headers={"Origin": "https://evil.example"},
    )
    assert other_site.status_code == 403
    empty = await anonymous.post("/ui/sign-in", data={"csrf_token": csrf})
    assert empty.status_code == 422
    text = page_text(empty.text)
    assert "Username: Enter your username." in text
    assert 'aria-invalid="true"' in empty.text


async def test_a_changed_cookie_is_refused_and_cleared(app: FastAPI, client: object) -> None:
    page = await page_client(app, "casey", is_admin=True)
    value = page.http.cookies[SESSION_COOKIE]
    body, signature = value.split(".")
    page.http.cookies.set(SESSION_COOKIE, body[:-3] + "abc." + signature)
    response = await page.get("/ui/")
    assert is_sign_in_redirect(response)
    assert 'residency_session=""' in response.headers["set-cookie"]


async def test_an_expired_access_token_is_refreshed_once_and_rotated(
    app: FastAPI, client: object, clock: FrozenClock
) -> None:
    page = await page_client(app, "casey", is_admin=True)
    old_cookie = page.http.cookies[SESSION_COOKIE]
    clock.advance(minutes=16)
    response = await page.get("/ui/?all=1")
    assert response.status_code == 200
    new_cookie = cookie_header(response, SESSION_COOKIE)
    assert not new_cookie.startswith(f"{SESSION_COOKIE}={old_cookie};")
    assert (await page.get("/ui/?all=1")).status_code == 200  # the renewed cookie works
    replay = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://test",
        cookies={SESSION_COOKIE: old_cookie},
    )
    clock.advance(minutes=1)
    # The old cookie's refresh token was spent. Within a few seconds the same process
    # would hand out the same new pair (two tabs at once); after that it is refused.
    app.state.web_refresh._recent.clear()
    assert is_sign_in_redirect(await replay.get("/ui/?all=1"))


async def test_sign_out_ends_the_session(app: FastAPI, client: object) -> None:
    page = await page_client(app, "casey", is_admin=True)
    cookie = page.http.cookies[SESSION_COOKIE]
    response = await page.post_form("/ui/sign-out")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/ui/sign-in")
    assert 'residency_session=""' in response.headers["set-cookie"]
    async with unit_of_work(app.state.session_factory, write=False) as session:
        rows = (await session.execute(select(AuthSession))).scalars().all()
    assert [row.revoked_reason for row in rows if row.revoked_at] == ["logout"]
    again = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://test",
        cookies={SESSION_COOKIE: cookie},
    )
    assert is_sign_in_redirect(await again.get("/ui/"))


async def test_pages_carry_security_headers(app: FastAPI, client: object) -> None:
    page = await page_client(app, "casey", is_admin=True)
    response = await page.get("/ui/?all=1")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    static = await page.get("/ui/static/app.js")
    assert static.status_code == 200 and "EventSource" in static.text
