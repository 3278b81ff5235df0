"""Every route x every credential: the answer each route's declared permission implies.

The routes come from the OpenAPI document and their permissions from the routes'
own declarations (`requires(...)`), never from a list kept here: a route added without
a declaration fails `test_every_route_declares_one_permission`, and answers 403.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

import httpx
import jwt
from fastapi import APIRouter, FastAPI

import residency.app as app_module
from residency.auth.declarations import declared_permissions
from residency.auth.permissions import (
    GLOBAL_PERMISSIONS,
    PROGRAM_PERMISSIONS,
    PUBLIC_PERMISSIONS,
    Permission,
    Scope,
    global_grant,
    program_grant,
)
from residency.config import Settings
from residency.users.kinds import ProgramRole
from tests.auth.conftest import ROLES, World

PUBLIC_ROUTES = {
    ("GET", "/health/live"),
    ("GET", "/health/ready"),
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
}
PARAM = re.compile(r"([\w-]+)/\{(\w+)\}")
STALE = {"If-Match": '"999999"'}  # no real row is ever changed by the matrix


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    permission: Permission


def operations(app: FastAPI) -> list[Operation]:
    """Every operation of the OpenAPI document, with the permission it declares."""
    found = []
    for path, item in app.openapi()["paths"].items():
        for method, operation in item.items():
            found.append(Operation(method.upper(), path, Permission(operation["x-permission"])))
    return found


def test_every_route_declares_one_permission(app: FastAPI) -> None:
    declared = declared_permissions(app)
    assert len(declared) > 60
    assert {key: p for key, p in declared.items() if len(p) != 1} == {}
    schema_paths = app.openapi()["paths"]
    for path, item in schema_paths.items():
        for method, operation in item.items():
            assert "x-permission" in operation, f"{method.upper()} {path} declares nothing"
            assert declared[(method.upper(), path)] == [Permission(operation["x-permission"])]


def test_permissions_fit_their_routes(app: FastAPI) -> None:
    """Public only where sign-in or probes are; program permissions only under a program."""
    for op in operations(app):
        if op.permission in PUBLIC_PERMISSIONS:
            assert (op.method, op.path) in PUBLIC_ROUTES or op.permission is (
                Permission.CALENDAR_FEED
            ), f"{op.method} {op.path} is public"
        if op.permission in PROGRAM_PERMISSIONS:
            assert op.path.startswith("/api/v1/programs/{program_id}"), op


async def test_a_route_without_a_declaration_is_flagged_and_refused(
    settings: Settings, monkeypatch: object
) -> None:
    extra = APIRouter()

    @extra.get("/programs/{program_id}/forgotten")
    async def forgotten(program_id: uuid.UUID) -> dict[str, str]:
        return {"leaked": "yes"}

    monkeypatch.setattr(  # type: ignore[attr-defined]
        app_module, "DOMAIN_ROUTERS", (*app_module.DOMAIN_ROUTERS, extra)
    )
    fresh = app_module.create_app(settings)
    path = "/api/v1/programs/{program_id}/forgotten"
    assert declared_permissions(fresh)[("GET", path)] == []
    assert "x-permission" not in fresh.openapi()["paths"][path]["get"]
    transport = httpx.ASGITransport(app=fresh)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get(path.format(program_id=uuid.uuid4()))
    assert response.status_code == 403
    assert "declares no permission" in response.json()["detail"]


async def test_route_matrix(app: FastAPI, world: World, anonymous: httpx.AsyncClient) -> None:
    """No token, a bad token, and each role, on every route: 401, 403, 404 or allowed."""
    bad = _bad_tokens(app, world)
    failures: list[str] = []
    for op in operations(app):
        url, resolved, owner = _url(op, world)
        if op.permission in PUBLIC_PERMISSIONS:
            continue
        for name, headers in bad.items():
            response = await _call(anonymous, op, url, headers)
            if response.status_code != 401 or "www-authenticate" not in response.headers:
                failures.append(f"{op.method} {op.path} {name}: {response.status_code}")
        for role in ROLES:
            expected = _expected(op, role, world, owner)
            response = await _call(anonymous, op, url, world.headers[role])
            if not _matches(response.status_code, expected, op.method, resolved):
                failures.append(
                    f"{op.method} {op.path} as {role}: {response.status_code}, "
                    f"expected {expected}: {response.text[:160]}"
                )
    assert failures == []


def _expected(op: Operation, role: str, world: World, owner: str | None) -> int:
    """200 when allowed (some other non-auth status without a real row), 403 or 404."""
    if op.permission in GLOBAL_PERMISSIONS:
        return 200 if global_grant(op.permission, is_admin=role == "admin") else 403
    if role == "admin":
        return 200
    if role == "outsider":
        return 404
    scope = program_grant(ProgramRole(role), op.permission)
    if scope is None:
        return 403
    if scope is Scope.OWN and owner is not None and owner != world.person_of[role]:
        return 403
    return 200


def _matches(status: int, expected: int, method: str, resolved: bool) -> bool:
    if expected != 200:
        return status == expected
    if method == "GET" and resolved:
        return status == 200
    return status not in (401, 403)  # authorized; refused later (422, 404, 412) or done


def _url(op: Operation, world: World) -> tuple[str, bool, str | None]:
    """The path with program A's ids; mutations get random ids so nothing real changes."""
    url, resolved, owner = op.path, True, None
    for collection, param in PARAM.findall(op.path):
        if param == "program_id":
            value = world.program["id"]
        elif op.method == "GET" and collection in world.ids:
            value, owner = world.ids[collection], world.owner.get(collection)
        else:
            value, resolved = str(uuid.uuid4()), False
        url = url.replace(f"{{{param}}}", value)
    return url, resolved, owner


async def _call(
    client: httpx.AsyncClient, op: Operation, url: str, headers: dict[str, str]
) -> httpx.Response:
    if op.method == "GET":
        return await client.get(url, headers=headers)
    body = None if op.method == "DELETE" else []
    return await client.request(op.method, url, json=body, headers={**headers, **STALE})


def _bad_tokens(app: FastAPI, world: World) -> dict[str, dict[str, str]]:
    """No token; expired, tampered, foreign-key, unsigned and garbage tokens of the admin."""
    good = world.headers["admin"]["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(good, options={"verify_signature": False})
    now = app.state.clock.now()
    session_id, user_id = uuid.UUID(claims["sid"]), uuid.UUID(claims["sub"])
    expired = app.state.tokens.issue(user_id, session_id, now - timedelta(minutes=16))
    header, payload, signature = good.split(".")
    tampered_claims = {**claims, "sub": str(uuid.uuid4())}
    tampered = jwt.encode(tampered_claims, "x" * 32, algorithm="HS256").split(".")[1]
    unsigned = jwt.encode(claims, None, algorithm="none")  # type: ignore[arg-type]
    foreign = jwt.encode(claims, "another-secret-0123456789abcdef0123", algorithm="HS256")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    tokens = {
        "expired": expired,
        "tampered payload": f"{header}.{tampered}.{signature}",
        "tampered signature": f"{header}.{payload}.{flipped}",
        "alg none": unsigned,
        "foreign key": foreign,
        "garbage": "not-a-jwt",
    }
    return {"no token": {}} | {
        name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()
    }
