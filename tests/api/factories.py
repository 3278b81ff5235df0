"""Small builders for API tests: each creates one row through the real API."""

from __future__ import annotations

from typing import Any

import httpx

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
