"""`check FILE [--json]` on a tiny Typer app: output and exit status 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from residency.compliance.cli import check

from .helpers import duty, timeline

CALL_29H = [duty("2026-07-01 07:00", "2026-07-02 12:00", "in_house_call")]
WARNING_ONLY = [
    duty("2026-07-01 07:00", "2026-07-01 19:00"),
    duty("2026-07-02 01:00", "2026-07-02 07:00"),
]


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    app.command("check")(check)

    @app.command("version")
    def version() -> None:  # a second command keeps `check` a named subcommand
        typer.echo("0")

    return app


def _write(tmp_path: Path, doc: Any, name: str = "timeline.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _run(app: typer.Typer, *args: str) -> Any:
    return CliRunner().invoke(app, ["check", *args])


def test_no_findings_exit_0(app: typer.Typer, tmp_path: Path) -> None:
    result = _run(
        app, str(_write(tmp_path, timeline([duty("2026-07-01 08:00", "2026-07-01 17:00")])))
    )
    assert result.exit_code == 0
    assert "No duty-hour violations" in result.stdout


def test_violation_table_exit_1(app: typer.Typer, tmp_path: Path) -> None:
    result = _run(app, str(_write(tmp_path, timeline(CALL_29H))))
    assert result.exit_code == 1
    for text in ("continuous_duty", "transition_time", "r1", "violation"):
        assert text in result.stdout


def test_json_report_exit_1(app: typer.Typer, tmp_path: Path) -> None:
    result = _run(app, "--json", str(_write(tmp_path, timeline(CALL_29H))))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [(v["rule"], v["value"], v["limit"]) for v in report["violations"]] == [
        ("continuous_duty", 29.0, 24.0),
        ("transition_time", 29.0, 28.0),
    ]
    assert report["violations"][0]["start"] == "2026-07-01T07:00:00-05:00"
    assert all(v["message"] for v in report["violations"])


def test_warnings_only_exit_0(app: typer.Typer, tmp_path: Path) -> None:
    result = _run(app, "--json", str(_write(tmp_path, timeline(WARNING_ONLY))))
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [(v["rule"], v["severity"]) for v in report["violations"]] == [
        ("rest_between", "warning")
    ]


def test_schedule_file_embedding_a_timeline(app: typer.Typer, tmp_path: Path) -> None:
    schedule = {"program": "FM", "timeline": timeline(CALL_29H)}
    result = _run(app, "--json", str(_write(tmp_path, schedule, "schedule.json")))
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)["violations"]) == 2


def _usage_error(result: Any) -> str:
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def test_invalid_field_exit_2(app: typer.Typer, tmp_path: Path) -> None:
    doc = timeline([*CALL_29H, {**CALL_29H[0], "kind": "foo"}])
    line = _usage_error(_run(app, str(_write(tmp_path, doc))))
    assert "duties[1].kind: unknown kind 'foo'" in line


def test_embedded_invalid_field_exit_2(app: typer.Typer, tmp_path: Path) -> None:
    doc = {"timeline": timeline(CALL_29H, zone="Mars/Base")}
    line = _usage_error(_run(app, "--json", str(_write(tmp_path, doc))))
    assert "timeline.timezone: unknown IANA time zone 'Mars/Base'" in line


def test_invalid_json_exit_2(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"timezone": "UTC",', encoding="utf-8")
    line = _usage_error(_run(app, str(path)))
    assert "invalid JSON" in line
    assert "line 1" in line


def test_missing_file_exit_2(app: typer.Typer, tmp_path: Path) -> None:
    line = _usage_error(_run(app, str(tmp_path / "absent.json")))
    assert "cannot read file" in line


def test_directory_instead_of_file_exit_2(app: typer.Typer, tmp_path: Path) -> None:
    line = _usage_error(_run(app, str(tmp_path)))
    assert "cannot read file" in line


def test_not_utf8_exit_2(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"timezone": "\xff"}')
    assert "cannot read file" in _usage_error(_run(app, str(path)))


def test_non_object_json_exit_2(app: typer.Typer, tmp_path: Path) -> None:
    line = _usage_error(_run(app, str(_write(tmp_path, [1, 2]))))
    assert "(root): must be an object" in line
