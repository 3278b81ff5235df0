"""`residency export` / `residency import plan` against a real database file."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from residency.cli import app
from residency.config import Settings, get_settings
from residency.db import create_engine_for, create_session_factory, unit_of_work
from residency.demo.generator import build_demo_program
from residency.demo.loader import load_program_file
from residency.programs.repository import ProgramRepository
from residency.schedule.service import load_snapshot

runner = CliRunner()
SOURCE, EMPTY = "Source FM", "Empty FM"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'exports.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    demo = build_demo_program()
    asyncio.run(_load(url, demo.model_copy(update={"name": SOURCE})))
    asyncio.run(_load(url, demo.model_copy(update={"name": EMPTY, "rotation_plan": []})))
    yield url
    get_settings.cache_clear()


async def _load(url: str, document: object) -> None:
    engine = create_engine_for(Settings(database_url=url))
    async with unit_of_work(create_session_factory(engine)) as session:
        await load_program_file(session, document)  # type: ignore[arg-type]
    await engine.dispose()


async def _plan(url: str, name: str) -> set[tuple[str, int, str]]:
    engine = create_engine_for(Settings(database_url=url))
    async with unit_of_work(create_session_factory(engine), write=False) as session:
        program = await ProgramRepository(session).by_name(name)
        assert program is not None
        from datetime import date

        snapshot = await load_snapshot(session, program, date(2026, 7, 1), date(2027, 6, 30))
    await engine.dispose()
    return {(snapshot.people[e.person].name, e.block, e.rotation) for e in snapshot.plan}


def test_plan_round_trip_into_an_empty_program(database: str, tmp_path: Path) -> None:
    grid = tmp_path / "plan.xlsx"
    exported = runner.invoke(app, ["export", "plan", "--program", SOURCE, "-o", str(grid)])
    assert exported.exit_code == 0, exported.output
    dry = runner.invoke(app, ["import", "plan", str(grid), "--program", EMPTY])
    assert dry.exit_code == 0, dry.output
    assert "checked (dry run)" in dry.output
    assert asyncio.run(_plan(database, EMPTY)) == set()
    applied = runner.invoke(app, ["import", "plan", str(grid), "--program", EMPTY, "--apply"])
    assert applied.exit_code == 0, applied.output
    assert asyncio.run(_plan(database, EMPTY)) == asyncio.run(_plan(database, SOURCE))


def test_import_with_bad_names_reports_cells_and_writes_nothing(
    database: str, tmp_path: Path
) -> None:
    grid = tmp_path / "plan.xlsx"
    runner.invoke(app, ["export", "plan", "--program", SOURCE, "-o", str(grid)])
    book = load_workbook(grid)
    sheet = book.active
    sheet["A2"] = "Nobody Atall"
    sheet["D3"] = "Fmitt"
    book.save(grid)
    result = runner.invoke(app, ["import", "plan", str(grid), "--program", EMPTY, "--apply"])
    assert result.exit_code == 2
    assert "A2: unknown resident 'Nobody Atall'" in result.output
    assert "D3: unknown rotation 'Fmitt' (did you mean FMIT" in result.output
    assert asyncio.run(_plan(database, EMPTY)) == set()


def test_export_xlsx_and_csv(database: str, tmp_path: Path) -> None:
    workbook = tmp_path / "blocks.xlsx"
    result = runner.invoke(
        app, ["export", "xlsx", "--program", SOURCE, "--blocks", "1,2", "-o", str(workbook)]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO(workbook.read_bytes()))
    assert book.sheetnames == ["Block 1", "Block 2", "Legend", "Summary"]
    assert book["Block 1"].cell(4, 2).value == "PGY-1"
    table = tmp_path / "schedule.csv"
    assert (
        runner.invoke(app, ["export", "csv", "--program", SOURCE, "-o", str(table)]).exit_code == 0
    )
    assert table.read_text().splitlines()[0].startswith("type,person_id,person,date")
    bad = runner.invoke(app, ["export", "xlsx", "--program", "Nope", "-o", str(workbook)])
    assert (bad.exit_code, "no program named" in bad.output) == (2, True)
    bad = runner.invoke(app, ["export", "xlsx", "--program", SOURCE, "--blocks", "x", "-o", "f"])
    assert bad.exit_code == 2
