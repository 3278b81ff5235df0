"""The `residency` command: db upgrade, demo, demo-program, and bad input (exit 2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from residency.cli import app

runner = CliRunner()


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    from residency.config import get_settings

    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_db_upgrade_then_demo_is_idempotent(sqlite_url: str) -> None:
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "database at head" in upgraded.output
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "loaded 'Demo Family Medicine'" in first.output
    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 0
    assert "already loaded" in again.output
    replaced = runner.invoke(app, ["demo", "--replace"])
    assert replaced.exit_code == 0 and "loaded" in replaced.output


def test_demo_program_writes_a_program_file(tmp_path: Path) -> None:
    output = tmp_path / "program.json"
    result = runner.invoke(
        app, ["demo-program", "--residents", "9", "--faculty", "6", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(output.read_text())
    residents = [p for p in document["people"] if p["role"] == "resident"]
    assert (len(residents), len(document["people"]) - len(residents)) == (9, 6)
    assert document["format"] == "residency-program/1"


def test_check_reads_a_file_and_reports_bad_input(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = runner.invoke(app, ["check", str(broken)])
    assert result.exit_code == 2
    missing = runner.invoke(app, ["check", str(tmp_path / "absent.json")])
    assert missing.exit_code == 2
