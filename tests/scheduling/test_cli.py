"""`residency solve`: exit 0 with a schedule file, 3 when infeasible, 2 on a bad file."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from residency.compliance import check_timeline, parse_document
from residency.scheduling.cli import solve_command
from tests.scheduling.helpers import clinic_rotation, demo, tiny_program

app = typer.Typer()
app.command("solve")(solve_command)
app.command("noop")(lambda: None)  # keeps `solve` a sub-command
runner = CliRunner()


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_solve_writes_a_compliant_schedule(tmp_path: Path) -> None:
    program = _write(tmp_path / "program.json", demo(6, 5).model_dump(mode="json"))
    output = tmp_path / "schedule.json"
    result = runner.invoke(
        app, ["solve", str(program), "-o", str(output), "--scope", "2", "--time-limit", "20"]
    )
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    schedule = json.loads(output.read_text())
    assert schedule["summary"]["status"] == "succeeded"
    assert check_timeline(parse_document(schedule)).errors == []


def test_infeasible_program_exits_3_with_the_explanation(tmp_path: Path) -> None:
    doc = tiny_program([("r2-01", 2)], ["f-01", "f-02"], clinic_rotation(takes_call=True))
    program = _write(tmp_path / "program.json", doc.model_dump(mode="json"))
    output = tmp_path / "schedule.json"
    result = runner.invoke(app, ["solve", str(program), "-o", str(output)])
    assert result.exit_code == 3
    assert "resident_call_coverage" in result.stderr
    assert "2026-07-03" in result.stderr
    assert not output.exists()


def test_bad_file_exits_2_naming_the_field(tmp_path: Path) -> None:
    data = demo(6, 5).model_dump(mode="json")
    data["people"][3]["pgy"] = 12
    program = _write(tmp_path / "program.json", data)
    result = runner.invoke(app, ["solve", str(program), "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "people[3].pgy" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreadable_and_invalid_json_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["solve", str(tmp_path / "nope.json"), "-o", "x.json"])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    invalid = runner.invoke(app, ["solve", str(broken), "-o", "x.json"])
    assert invalid.exit_code == 2 and "invalid JSON" in invalid.stderr


def test_bad_scope_exits_2(tmp_path: Path) -> None:
    program = _write(tmp_path / "program.json", demo(6, 5).model_dump(mode="json"))
    result = runner.invoke(app, ["solve", str(program), "-o", "x.json", "--scope", "fall"])
    assert result.exit_code == 2 and "--scope" in result.stderr
