"""Shared fixtures: a real app over a real database, on SQLite and on PostgreSQL.

Every API test runs once per backend. PostgreSQL (127.0.0.1:5432, database `test`)
must be up: when it is not, the session stops with a plain message instead of skipping.
The `client` fixture is signed in as an admin created for the test (tests/api/factories.py,
`sign_in`); `anonymous` is the same app without credentials.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from residency.app import create_app
from residency.config import Settings
from residency.migrate import upgrade_sync
from tests.api.factories import sign_in

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


async def _postgres_reachable() -> str | None:
    engine = create_async_engine(POSTGRES_URL)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    finally:
        await engine.dispose()
    return None


def _reset_postgres() -> None:
    async def reset() -> None:
        engine = create_async_engine(POSTGRES_URL)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(reset())


def pytest_sessionstart(session: pytest.Session) -> None:
    problem = asyncio.run(_postgres_reachable())
    if problem is not None:
        pytest.exit(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({problem}). "
            "Start it (see README, 'Services') and run the tests again.",
            returncode=3,
        )


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Fresh, fully migrated databases: a SQLite file and the PostgreSQL `test` database."""
    sqlite_path: Path = tmp_path_factory.mktemp("db") / "test.db"
    urls = {"sqlite": f"sqlite+aiosqlite:///{sqlite_path}", "postgresql": POSTGRES_URL}
    _reset_postgres()
    for url in urls.values():
        upgrade_sync(url)
    return urls


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# Argon2id at its cheapest: the tests check behaviour, not hashing cost (never in production).
TEST_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1}


@pytest.fixture(scope="session")
def settings(backend: str, database_urls: dict[str, str]) -> Settings:
    return Settings(
        database_url=database_urls[backend],
        db_pool_size=20,
        db_max_overflow=40,
        housekeeping_interval_s=0,  # the tests sweep by hand, at the clock they set
        jwt_secret=f"test-secret-{backend}-0123456789abcdef0123456789",  # type: ignore[arg-type]
        **TEST_ARGON2,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def anonymous(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the real app, over an emptied database, without credentials."""
    await empty_database(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
async def client(app: FastAPI, anonymous: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in as an admin (every permission in every program)."""
    headers = await sign_in(app, "admin@test", is_admin=True)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=headers
    ) as http:
        yield http


# Program rows cascade to everything in a program; the rest stands alone.
UNSCOPED_TABLES = ("programs", "users", "login_throttle", "audit_log")


async def empty_database(app: FastAPI) -> None:
    """Delete every row: programs (and all they hold), users (and their sessions), the
    login throttle and the audit trail."""
    async with app.state.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(UNSCOPED_TABLES)} CASCADE"))
        else:
            for table in UNSCOPED_TABLES:
                await connection.execute(text(f"DELETE FROM {table}"))
