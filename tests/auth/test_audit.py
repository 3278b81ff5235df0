"""The audit trail: one entry per mutation, in its transaction, hash-chained, verifiable."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text
from typer.testing import CliRunner

from residency.audit.models import AuditEntry
from residency.audit.service import verify_chain
from residency.cli import app as cli
from residency.config import Settings, get_settings
from residency.db import unit_of_work
from residency.people.schemas import PersonCreate
from residency.people.service import PersonService
from residency.programs.models import Program
from tests.api.factories import base, make_program, make_resident, ok, problem

runner = CliRunner()


async def entries(client: httpx.AsyncClient, program: dict, **filters: str) -> list[dict]:
    page = ok(await client.get(f"{base(program)}/audit", params={"limit": 1000, **filters}))
    return page["items"]


async def test_each_mutation_writes_one_entry_with_before_and_after(
    client: httpx.AsyncClient,
) -> None:
    program = await make_program(client)
    me = ok(await client.get("/api/v1/auth/me"))
    person = await make_resident(client, program, "Ann", pgy=1)
    url = f"{base(program)}/people/{person['id']}"
    ok(await client.patch(url, json={"pgy": 2}))
    assert (await client.delete(url)).status_code == 204
    found = await entries(client, program, entity_type="people")
    assert [e["action"] for e in found] == ["delete", "update", "create"]  # newest first
    delete, update, create = found
    assert create["before"] is None and create["after"]["pgy"] == 1
    assert (update["before"]["pgy"], update["after"]["pgy"]) == (1, 2)
    assert delete["before"]["pgy"] == 2 and delete["after"] is None
    assert {e["entity_id"] for e in found} == {person["id"]}
    assert {(e["actor"], e["actor_id"]) for e in found} == {(me["username"], me["id"])}
    created = await entries(client, program, entity_type="programs")
    assert [e["action"] for e in created] == ["create"]
    assert len(await entries(client, program, entity_type="academic_years")) == 1


async def test_a_refused_change_leaves_no_entry(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    await make_resident(client, program, "Ann")
    before = await entries(client, program)
    problem(
        await client.post(
            f"{base(program)}/people", json={"name": "Ann", "role": "resident", "pgy": 1}
        ),
        409,
    )
    assert await entries(client, program) == before


async def test_filters_and_pagination(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    for name in ("Ann", "Bob", "Cy"):
        await make_resident(client, program, name)
    url = f"{base(program)}/audit"
    page = ok(await client.get(url, params={"action": "create", "limit": 2, "offset": 1}))
    assert (page["total"], len(page["items"])) == (5, 2)  # program, year, three people
    seqs = [e["seq"] for e in (await entries(client, program))]
    assert seqs == sorted(seqs, reverse=True)
    middle = seqs[2]
    at = next(e["at"] for e in await entries(client, program) if e["seq"] == middle)
    since = ok(await client.get(url, params={"at_from": at}))
    assert min(e["seq"] for e in since["items"]) == middle
    every = ok(await client.get("/api/v1/admin/audit", params={"program_id": program["id"]}))
    assert every["total"] == 5


async def test_parallel_writers_keep_one_unbroken_chain(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    program = await make_program(client)
    await asyncio.gather(*(make_resident(client, program, f"R{n}") for n in range(12)))
    async with unit_of_work(app.state.session_factory, write=False) as session:
        count, broken = await verify_chain(session)
    assert (count, broken) == (14, None)


async def test_entries_join_the_chain_at_commit_in_commit_order(
    app: FastAPI, client: httpx.AsyncClient, backend: str
) -> None:
    """A unit of work that records first but commits last gets the later place in the
    chain: entries wait in the session (no chain lock while the request runs) and are
    linked by the last step before COMMIT."""
    if backend == "sqlite":
        pytest.skip("SQLite has one writer at a time: the second unit could not begin")
    program = await make_program(client)
    row_id = uuid.UUID(program["id"])
    factory = app.state.session_factory
    async with unit_of_work(factory) as slow:
        await PersonService(slow, await slow.get(Program, row_id)).create(  # type: ignore[arg-type]
            PersonCreate(name="Recorded first", role="resident", pgy=1)  # type: ignore[arg-type]
        )
        async with unit_of_work(factory) as fast:  # would wait on a chain lock held by `slow`
            await PersonService(fast, await fast.get(Program, row_id)).create(  # type: ignore[arg-type]
                PersonCreate(name="Committed first", role="resident", pgy=1)  # type: ignore[arg-type]
            )
    people = await entries(client, program, entity_type="people")  # newest first
    assert [e["after"]["name"] for e in people] == ["Recorded first", "Committed first"]
    assert people[0]["seq"] == people[1]["seq"] + 1
    async with unit_of_work(factory, write=False) as session:
        assert (await verify_chain(session))[1] is None


async def test_a_commit_outside_the_unit_of_work_cannot_drop_entries(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    program = await make_program(client)
    async with app.state.session_factory() as session:
        row = await session.get(Program, uuid.UUID(program["id"]))
        await PersonService(session, row).create(  # type: ignore[arg-type]
            PersonCreate(name="Unsealed", role="resident", pgy=1)  # type: ignore[arg-type]
        )
        with pytest.raises(RuntimeError, match=r"commit through db\.unit_of_work"):
            await session.commit()
    assert await entries(client, program, entity_type="people") == []


async def test_loaders_and_jobs_are_recorded_as_the_system(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    program = await make_program(client)
    async with unit_of_work(app.state.session_factory) as session:  # no request, no user
        row = await session.get(Program, uuid.UUID(program["id"]))
        service = PersonService(session, row)  # type: ignore[arg-type]
        await service.create(PersonCreate(name="Loaded", role="resident", pgy=1))  # type: ignore[arg-type]
    (entry,) = await entries(client, program, entity_type="people")
    assert (entry["actor"], entry["actor_id"]) == ("system", None)


async def test_entries_are_append_only_in_the_orm(app: FastAPI, client: httpx.AsyncClient) -> None:
    await make_program(client)
    for change in ("update", "delete"):
        with pytest.raises(PermissionError, match="append-only"):
            async with unit_of_work(app.state.session_factory) as session:
                entry = (await session.execute(select(AuditEntry).limit(1))).scalar_one()
                if change == "update":
                    entry.actor = "someone else"
                else:
                    await session.delete(entry)
                await session.flush()


@pytest.fixture
def cli_database(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def test_audit_verify_finds_a_modified_row(
    app: FastAPI, client: httpx.AsyncClient, cli_database: None
) -> None:
    program = await make_program(client)
    for name in ("Ann", "Bob"):
        await make_resident(client, program, name)
    intact = await asyncio.to_thread(runner.invoke, cli, ["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    assert "intact: 4 entries" in intact.output
    async with app.state.engine.begin() as connection:  # someone edits the trail by hand
        await connection.execute(text("UPDATE audit_log SET actor = 'somebody else' WHERE seq = 3"))
    broken = await asyncio.to_thread(runner.invoke, cli, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "broken at entry 3" in broken.output and "was modified" in broken.output


async def test_audit_verify_finds_a_removed_row(
    app: FastAPI, client: httpx.AsyncClient, cli_database: None
) -> None:
    program = await make_program(client)
    await make_resident(client, program, "Ann")
    async with app.state.engine.begin() as connection:
        await connection.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    broken = await asyncio.to_thread(runner.invoke, cli, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "entry 2 is missing" in broken.output
