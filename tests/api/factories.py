"""Small builders for API tests: each creates one row through the real API.

`sign_in` creates a user straight in the database and opens a session for it (no
password, no Argon2), returning the Authorization header of its access token.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import httpx
from fastapi import FastAPI

from residency.auth.schemas import TokenPair
from residency.auth.service import AuthService
from residency.db import unit_of_work
from residency.users.kinds import ProgramRole
from residency.users.models import ProgramMembership, User

# (program id, role, person id or None)
Grant = tuple[str | uuid.UUID, str, str | uuid.UUID | None]

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """Assert an RFC 9457 problem with `status`, and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    return body


def fields_of(body: dict[str, Any]) -> set[str]:
    return {error["field"] for error in body["errors"]}


async def make_program(client: httpx.AsyncClient, name: str = "Test FM", **extra: Any) -> dict:
    payload = {"name": name, "timezone": "America/Chicago", "academic_year": 2026, **extra}
    return ok(await client.post("/api/v1/programs", json=payload), 201)


def base(program: dict) -> str:
    return f"/api/v1/programs/{program['id']}"


async def make_activity(
    client: httpx.AsyncClient, program: dict, code: str, category: str = "clinical", **extra: Any
) -> dict:
    payload = {"code": code, "name": f"Activity {code}", "category": category, **extra}
    return ok(await client.post(f"{base(program)}/activities", json=payload), 201)


async def make_resident(client: httpx.AsyncClient, program: dict, name: str, pgy: int = 1) -> dict:
    payload = {"name": name, "role": "resident", "pgy": pgy}
    return ok(await client.post(f"{base(program)}/people", json=payload), 201)


async def make_faculty(
    client: httpx.AsyncClient, program: dict, name: str, faculty_role: str = "core"
) -> dict:
    payload = {"name": name, "role": "faculty", "faculty_role": faculty_role}
    return ok(await client.post(f"{base(program)}/people", json=payload), 201)


async def make_rotation(
    client: httpx.AsyncClient, program: dict, abbreviation: str, **extra: Any
) -> dict:
    payload = {"name": f"Rotation {abbreviation}", "abbreviation": abbreviation, **extra}
    return ok(await client.post(f"{base(program)}/rotations", json=payload), 201)


async def block_by_number(client: httpx.AsyncClient, program: dict, number: int) -> dict:
    page = ok(await client.get(f"{base(program)}/blocks", params={"number": number}))
    assert page["total"] == 1
    return page["items"][0]


async def sign_in(
    app: FastAPI, username: str, *, is_admin: bool = False, roles: Sequence[Grant] = ()
) -> dict[str, str]:
    """A new user with these roles, signed in: the Authorization header to send."""
    pair = await open_session(app, username, is_admin=is_admin, roles=roles)
    return bearer(pair.access_token)


async def open_session(
    app: FastAPI, username: str, *, is_admin: bool = False, roles: Sequence[Grant] = ()
) -> TokenPair:
    """Create the user (with an unusable password) and issue a token pair for it."""
    memberships = [
        ProgramMembership(
            program_id=uuid.UUID(str(program)),
            role=ProgramRole(role),
            person_id=uuid.UUID(str(person)) if person else None,
        )
        for program, role, person in roles
    ]
    state = app.state
    async with unit_of_work(state.session_factory) as session:
        user = User(username=username, password_hash="!", is_admin=is_admin, roles=memberships)
        session.add(user)
        await session.flush()
        service = AuthService(
            session,
            state.settings,
            codec=state.tokens,
            passwords=state.passwords,
            now=state.clock.now(),
        )
        return await service.open_session(user, "test")


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}
