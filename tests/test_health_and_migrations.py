"""Health probes, and the models and the migrations agreeing on both databases."""

from __future__ import annotations

import uuid

import asyncpg
import httpx
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import Connection

from residency.app import create_app
from residency.config import Settings
from residency.models import Base


async def test_live_and_ready(client: httpx.AsyncClient, backend: str) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["database"] == ("sqlite" if backend == "sqlite" else "postgresql")


async def test_ready_answers_503_when_the_database_is_down() -> None:
    closed_port = Settings(database_url="postgresql+asyncpg://postgres@127.0.0.1:9/none")
    app = create_app(closed_port)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            response = await http.get("/health/ready")
            assert (await http.get("/health/live")).status_code == 200
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "database is unreachable" in response.json()["detail"]


def _differences(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def test_models_and_migrations_agree(app: FastAPI) -> None:
    """The migrated schema equals the models: autogenerate finds nothing to do."""
    async with app.state.engine.connect() as connection:
        differences = await connection.run_sync(_differences)
    assert differences == []


async def test_a_connection_the_server_closed_costs_one_503_then_recovers(
    database_urls: dict[str, str],
) -> None:
    """No ping before each checkout (db.py): when PostgreSQL drops a pooled connection,
    that request answers 503 with Retry-After, and the next one is served."""
    app = create_app(Settings(database_url=database_urls["postgresql"], db_pool_size=1))
    feed = f"/cal/{uuid.uuid4().hex}.ics"  # an unknown feed token: looked up, then 404
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            assert (await http.get(feed)).status_code == 404
            async with app.state.engine.connect() as connection:
                pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            killer = await asyncpg.connect(database_urls["postgresql"].replace("+asyncpg", ""))
            try:
                await killer.execute("SELECT pg_terminate_backend($1)", pid)
            finally:
                await killer.close()
            lost = await http.get(feed)
            again = await http.get(feed)
    assert lost.status_code == 503
    assert lost.headers["retry-after"] == "1"
    assert lost.json()["type"] == "/problems/database-unavailable"
    assert again.status_code == 404
