"""Process settings, read from the environment (and a `.env` file) by pydantic-settings."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
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
    housekeeping_interval_s: float = Field(
        300,
        ge=0,
        description="seconds between housekeeping passes (overdue swaps expire, stale "
        "sign-in throttle rows go; housekeeping.py); 0: off",
    )
    solver_workers: int = Field(1, ge=1, description="processes in the solver pool")
    solver_threads: int = Field(
        default_factory=lambda: max(1, (os.cpu_count() or 2) - 1),
        ge=1,
        description="CP-SAT threads per solve; default leaves one core to the API",
    )

    # Sign-in (DESIGN.md, "Security"); see README, "Sign-in and roles".
    jwt_secret: SecretStr | None = Field(
        None,
        min_length=32,
        description="HS256 key of the access tokens; unset: generated and kept next to the "
        "SQLite file (<db>.jwt-secret), or per process otherwise",
    )
    access_token_minutes: int = Field(15, ge=1, le=60, description="access token lifetime")
    refresh_token_days: int = Field(7, ge=1, le=90, description="refresh token lifetime")
    login_max_failures_per_account: int = Field(5, ge=1, description="failures before lockout")
    login_max_failures_per_client: int = Field(
        20, ge=1, description="failures from one client address before it is locked out"
    )
    login_failure_window_minutes: int = Field(15, ge=1, description="failures counted within")
    login_lockout_minutes: int = Field(15, ge=1, description="how long a lockout lasts")
    # Argon2id cost (pwdlib's defaults). Lower them only in tests: never in production.
    argon2_time_cost: int = Field(3, ge=1, description="Argon2id iterations")
    argon2_memory_kib: int = Field(65536, ge=8, description="Argon2id memory in KiB")
    argon2_parallelism: int = Field(4, ge=1, description="Argon2id lanes")

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
