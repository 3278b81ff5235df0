"""No secret reaches the logs: passwords, access and refresh tokens, the JWT key."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from residency.cli import app as cli
from residency.config import Settings, get_settings
from tests.auth.helpers import PASSWORD, make_user, tokens

ADMIN_PASSWORD = "violet-Harbor-engine-93"


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "residency", "uvicorn", "alembic", "httpx"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield caplog
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)


async def test_sign_in_refresh_and_logout_log_no_secret(
    settings: Settings,
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    every_log: pytest.LogCaptureFixture,
) -> None:
    await make_user(client, "casey")
    failed = await anonymous.post(
        "/api/v1/auth/token", data={"username": "casey", "password": "wrong-password-77"}
    )
    assert failed.status_code == 401
    pair = await tokens(anonymous, "casey")
    rotated = (
        await anonymous.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    ).json()
    await anonymous.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    await anonymous.post("/api/v1/auth/logout", json={"refresh_token": rotated["refresh_token"]})
    logged = every_log.text
    # the sign-in log and every SQL statement with its parameters were captured...
    assert "signed in 'casey'" in logged
    assert any(r.name.startswith("sqlalchemy.engine") for r in every_log.records)
    # ...and none of them holds a secret
    secrets = [PASSWORD, "wrong-password-77", pair["access_token"], pair["refresh_token"]]
    secrets += [rotated["access_token"], rotated["refresh_token"]]
    secrets.append(settings.jwt_secret.get_secret_value())  # type: ignore[union-attr]
    assert [secret for secret in secrets if secret in logged] == []


def test_create_admin_bootstrap_logs_and_prints_no_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, every_log: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'boot.db'}")
    monkeypatch.setenv("RESIDENCY_ADMIN_PASSWORD", ADMIN_PASSWORD)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["users", "create-admin", "--username", "root"])
        weak = CliRunner().invoke(
            cli,
            ["users", "create-admin", "--username", "second"],
            env={"RESIDENCY_ADMIN_PASSWORD": "password12345"},
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "created admin 'root'" in result.output
    assert weak.exit_code == 2 and "too common" in weak.output
    for text in (result.output, weak.output, every_log.text):
        assert ADMIN_PASSWORD not in text and "password12345" not in text


def test_create_admin_prompts_hidden_and_confirmed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'prompt.db'}")
    monkeypatch.delenv("RESIDENCY_ADMIN_PASSWORD", raising=False)
    get_settings.cache_clear()
    try:
        typed = f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n"
        result = CliRunner().invoke(
            cli, ["users", "create-admin", "--username", "root"], input=typed
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert ADMIN_PASSWORD not in result.output


def test_settings_never_show_the_jwt_secret() -> None:
    settings = Settings(jwt_secret="k" * 40)  # type: ignore[arg-type]
    assert "k" * 40 not in repr(settings) and "k" * 40 not in str(settings.model_dump())


async def test_secret_kept_next_to_the_sqlite_file(tmp_path: Path) -> None:
    from residency.auth.secret import resolve_jwt_secret

    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'dev.db'}")
    first = await asyncio.to_thread(resolve_jwt_secret, settings)
    again = await asyncio.to_thread(resolve_jwt_secret, settings)
    kept = tmp_path / "dev.db.jwt-secret"
    assert first == again and len(first) >= 32
    assert kept.stat().st_mode & 0o777 == 0o600
    postgres = Settings(database_url="postgresql+asyncpg://postgres@127.0.0.1/test")
    assert await asyncio.to_thread(resolve_jwt_secret, postgres) != first
