"""Process settings, read from the environment (and a `.env` file) by pydantic-settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./residency.db"


class Settings(BaseSettings):
    """Every knob of a running process. Program-level rules live in the database instead."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="sqlite+aiosqlite:///path.db (default) or postgresql+asyncpg://user@host/db",
    )
    db_pool_size: int = Field(10, ge=1, description="PostgreSQL connections kept open")
    db_max_overflow: int = Field(10, ge=0, description="extra PostgreSQL connections under load")
    db_pool_timeout: float = Field(30.0, gt=0, description="seconds to wait for a connection")
    db_pool_recycle: int = Field(1800, ge=-1, description="recycle connections after N seconds")
    db_echo: bool = Field(False, description="log every SQL statement")
    sqlite_busy_timeout_ms: int = Field(30_000, ge=0, description="SQLite lock wait")
    host: str = "127.0.0.1"
    port: int = 8000
    solver_workers: int = Field(1, ge=1, description="processes in the solver pool")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        """The SQLite file behind the URL, or None for PostgreSQL / in-memory."""
        if not self.is_sqlite:
            return None
        raw = self.database_url.split("///", 1)[-1]
        return None if raw in ("", ":memory:") else Path(raw)


@lru_cache
def get_settings() -> Settings:
    return Settings()
