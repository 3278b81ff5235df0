"""The async database layer: engine, sessions and the unit of work (DESIGN.md, "Storage").

SQLite runs through aiosqlite in WAL mode; PostgreSQL through asyncpg. Only the
unit of work (`unit_of_work`, used per request and per job) commits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from residency.config import Settings
from residency.errors import ProblemError


def create_engine_for(settings: Settings) -> AsyncEngine:
    """An async engine for the configured URL, with pool settings or SQLite pragmas."""
    if settings.is_sqlite:
        path = settings.sqlite_path()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            settings.database_url,
            echo=settings.db_echo,
            connect_args={"timeout": settings.sqlite_busy_timeout_ms / 1000},
        )
        _install_sqlite_pragmas(engine, settings.sqlite_busy_timeout_ms)
        return engine
    return create_async_engine(
        settings.database_url,
        echo=settings.db_echo,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_recycle=settings.db_pool_recycle,
        # No ping before every checkout (a round trip per request): a connection the
        # server closed fails its request with a 503 and the pool is refreshed at once
        # (api/problems.py), as SQLAlchemy invalidates the pool on a disconnect.
        pool_pre_ping=False,
    )


def _install_sqlite_pragmas(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    """WAL journal, enforced foreign keys and a busy timeout on every connection."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers start with BEGIN IMMEDIATE: they take SQLite's single write lock up
        # front, so two read-then-write transactions never interleave (one writer).
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


SQLITE_BEGIN_OPTION = "sqlite_begin"
_BEFORE_COMMIT = "before_commit"
BeforeCommit = Callable[[AsyncSession], Awaitable[None]]


def before_commit(session: AsyncSession, hook: BeforeCommit) -> None:
    """Run `hook` once, as the last step of this session's unit of work before COMMIT
    (the audit chain is appended there: audit/service.py)."""
    hooks: list[BeforeCommit] = session.info.setdefault(_BEFORE_COMMIT, [])
    if hook not in hooks:
        hooks.append(hook)


async def _commit(session: AsyncSession) -> None:
    for hook in session.info.pop(_BEFORE_COMMIT, []):
        await hook(session)
    await session.commit()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def unit_of_work(
    factory: async_sessionmaker[AsyncSession], *, write: bool = True
) -> AsyncIterator[AsyncSession]:
    """One transaction: commit when the block succeeds, roll back on any error.

    A writing unit takes SQLite's write lock when it begins; PostgreSQL ignores the option.
    A refusal marked `commit_anyway` (errors.py) keeps the writes made before it.
    """
    async with factory() as session:
        try:
            if write:
                await session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})
            yield session
            await _commit(session)
        except ProblemError as error:
            await (_commit(session) if error.commit_anyway else session.rollback())
            raise
        except BaseException:
            await session.rollback()
            raise
