"""Apply the Alembic migrations (used by `residency db upgrade` and by `serve` on start)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from residency.config import Settings

_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def migrations_dir() -> Path:
    """The repository's `migrations/`, or the copy packed into an installed wheel."""
    for candidate in (_PROJECT_ROOT / "migrations", Path(__file__).parent / "_migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError("the Alembic migrations directory is missing from this install")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["database_url"] = database_url
    return config


def upgrade_sync(database_url: str, revision: str = "head") -> None:
    """Blocking: migrate to `revision`. Call it off the event loop."""
    command.upgrade(alembic_config(database_url), revision)


async def upgrade(settings: Settings, revision: str = "head") -> None:
    """Migrate without blocking the event loop (Alembic's env runs its own loop)."""
    await asyncio.to_thread(upgrade_sync, settings.database_url, revision)
