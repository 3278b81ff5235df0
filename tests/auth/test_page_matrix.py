"""Every page route x every credential, like the API's route matrix (test_route_matrix.py).

Page routes (`/`, `/ui/...`) are not in the OpenAPI document, so the API matrix does not
see them; this one enumerates them from their own declarations (`page_requires`) and
expects the same answers as the API, with two documented differences:

- without a usable page session (no cookie, a changed one, an expired access token with
  an unusable refresh token, a revoked session) a page answers **303 to the sign-in
  page** where the API answers 401;
- a POST without the session's CSRF token answers 403 before anything else is checked.

A role without the permission gets 403, a user without a role in the program 404, as
for the API (both rendered as pages).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

import httpx
import jwt
from fastapi import FastAPI

from residency.auth.declarations import declared_permissions
from residency.auth.permissions import PROGRAM_PERMISSIONS, Permission
from residency.web.middleware import is_page_path
from residency.web.session import SESSION_COOKIE, CookieTokens, session_binding
from tests.auth.conftest import ROLES, World
from tests.auth.test_route_matrix import _expected

PUBLIC_PAGES = {("GET", "/"), ("GET", "/ui"), ("GET", "/ui/sign-in"), ("POST", "/ui/sign-in")}
PARAM = re.compile(r"([\w-]+)/\{(\w+)\}")
CELL = "/ui/programs/{program_id}/schedule/cell"
SIGN_OUT = "/ui/sign-out"


@dataclass(frozen=True)
class PageOperation:
    method: str
    path: str
    permission: Permission


def page_operations(app: FastAPI) -> list[PageOperation]:
    found = []
    for (method, path), permissions in declared_permissions(app).items():
        if is_page_path(path) and not path.startswith("/ui/static"):
            assert len(permissions) == 1, f"{method} {path} declares {permissions}"
            found.append(PageOperation(method, path, permissions[0]))
    return sorted(found, key=lambda op: (op.path, op.method))


def test_every_page_declares_one_permission_that_fits(app: FastAPI) -> None:
    operations = page_operations(app)
    assert len(operations) > 30
    for op in operations:
        if op.permission is Permission.PUBLIC:
            assert (op.method, op.path) in PUBLIC_PAGES, f"{op.method} {op.path} is public"
        if op.permission in PROGRAM_PERMISSIONS:
            assert op.path.startswith("/ui/programs/{program_id}"), op
    assert {(op.method, op.path) for op in operations} >= PUBLIC_PAGES


def _cookie(app: FastAPI, access: str, refresh: str = "no-refresh-token") -> tuple[str, str]:
    keys = app.state.web_keys
    claims = jwt.decode(access, options={"verify_signature": False})
    csrf = keys.csrf_for(session_binding(uuid.UUID(claims["sid"])))
    return keys.seal(CookieTokens(access, refresh)), csrf


def _url(op: PageOperation, world: World) -> str:
    url = op.path
    for collection, param in PARAM.findall(op.path):
        if param == "program_id":
            value = world.program["id"]
        elif op.method == "GET" and collection in world.ids:
            value = world.ids[collection]
        elif op.method == "GET" and param == "person_id":
            value = world.resident["id"]
        else:
            value = str(uuid.uuid4())
        url = url.replace(f"{{{param}}}", value)
    if op.path == CELL:
        url += f"?person={world.resident['id']}&date=2026-09-01&session=AM"
    return url


async def _call(
    http: httpx.AsyncClient, op: PageOperation, url: str, cookie: str | None, csrf: str | None
) -> httpx.Response:
    cookies = {SESSION_COOKIE: cookie} if cookie else {}
    http.cookies.clear()
    if op.method == "GET":
        return await http.get(url, cookies=cookies)
    data = {"csrf_token": csrf} if csrf else {}
    return await http.post(url, data=data, cookies=cookies)


def _bad_cookies(app: FastAPI, world: World) -> dict[str, str]:
    access = world.headers["admin"]["Authorization"].removeprefix("Bearer ")
    good, _ = _cookie(app, access)
    claims = jwt.decode(access, options={"verify_signature": False})
    expired = app.state.tokens.issue(
        uuid.UUID(claims["sub"]),
        uuid.UUID(claims["sid"]),
        app.state.clock.now() - timedelta(hours=1),
    )
    body, signature = good.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    return {
        "tampered signature": f"{body}.{flipped}",
        "garbage": "not-a-cookie",
        "unsigned": body,
        "expired access, unusable refresh": _cookie(app, expired, "spent-or-unknown")[0],
    }


def _allowed(response: httpx.Response) -> bool:
    if response.status_code in (401, 403):
        return False
    return not (
        response.status_code == 303 and response.headers["location"].startswith("/ui/sign-in")
    )


async def test_page_matrix(app: FastAPI, world: World, anonymous: httpx.AsyncClient) -> None:
    """No session, a bad one, and each role, on every page: 303, 403, 404 or allowed."""
    bad = _bad_cookies(app, world)
    sessions = {
        role: _cookie(app, world.headers[role]["Authorization"].removeprefix("Bearer "))
        for role in ROLES
    }
    failures: list[str] = []
    for op in page_operations(app):
        url = _url(op, world)
        if op.permission is Permission.PUBLIC:
            continue
        for name, cookie in {"no session": None, **bad}.items():
            response = await _call(anonymous, op, url, cookie, "x")
            if not (
                response.status_code == 303
                and response.headers["location"].startswith("/ui/sign-in?next=")
            ):
                failures.append(f"{op.method} {op.path} {name}: {response.status_code}")
        if op.method == "POST":  # a valid session without its CSRF token
            cookie, _ = sessions["admin"]
            response = await _call(anonymous, op, url, cookie, None)
            if response.status_code != 403:
                failures.append(f"{op.method} {op.path} without CSRF: {response.status_code}")
            other_csrf = sessions["coordinator"][1]
            response = await _call(anonymous, op, url, cookie, other_csrf)
            if response.status_code != 403:
                failures.append(f"{op.method} {op.path} foreign CSRF: {response.status_code}")
        if op.path == SIGN_OUT:  # it ends the session: tests/web/test_page_session.py
            continue
        for role in ROLES:
            cookie, csrf = sessions[role]
            expected = _expected(op, role, world, None)  # type: ignore[arg-type]
            response = await _call(anonymous, op, url, cookie, csrf)
            good = _allowed(response) if expected == 200 else response.status_code == expected
            if expected != 200 and good:
                good = response.headers["content-type"].startswith("text/html")
            if not good:
                failures.append(
                    f"{op.method} {op.path} as {role}: {response.status_code}, "
                    f"expected {expected}: {response.text[:160]}"
                )
    assert failures == []


async def test_public_pages_answer_without_a_session(anonymous: httpx.AsyncClient) -> None:
    root = await anonymous.get("/")
    assert (root.status_code, root.headers["location"]) == (303, "/ui/")
    page = await anonymous.get("/ui/sign-in")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    home = await anonymous.get("/ui/")
    assert (home.status_code, home.headers["location"]) == (303, "/ui/sign-in?next=%2Fui%2F")
