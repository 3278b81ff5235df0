"""`residency export …` and `residency import plan …`: files from and into the database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from residency.config import get_settings
from residency.db import create_engine_for, create_session_factory, unit_of_work
from residency.errors import ProblemError
from residency.exports import service
from residency.exports.plan_grid import GridReading
from residency.programs.models import Program
from residency.programs.repository import ProgramRepository

export_app = typer.Typer(help="Write the schedule as files (XLSX workbook, CSV, plan grid).")
import_app = typer.Typer(help="Read files into the database.")
T = TypeVar("T")

ProgramOption = Annotated[str, typer.Option("--program", help="program name or id")]
YearOption = Annotated[int | None, typer.Option("--year", help="academic year start")]
BlocksOption = Annotated[
    str | None, typer.Option("--blocks", help="block numbers, e.g. 1,2,3 (default: all)")
]
OutputOption = Annotated[Path, typer.Option("-o", "--output", help="file to write")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _block_numbers(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise _fail(f"--blocks: expected numbers separated by commas, got '{text}'") from None


async def _find_program(session: AsyncSession, key: str) -> Program:
    programs = ProgramRepository(session)
    try:
        program = await programs.get(uuid.UUID(key))
    except ValueError:
        program = await programs.by_name(key)
    if program is None:
        raise _fail(f"--program: no program named or numbered '{key}'")
    return program


def _run(work: Callable[[AsyncSession], Awaitable[T]], write: bool = False) -> T:
    async def main() -> T:
        engine = create_engine_for(get_settings())
        try:
            async with unit_of_work(create_session_factory(engine), write=write) as session:
                return await work(session)
        except ProblemError as error:
            raise _fail(error.detail) from None
        finally:
            await engine.dispose()

    return asyncio.run(main())


@export_app.command("xlsx")
def export_xlsx(
    program: ProgramOption,
    output: OutputOption,
    year: YearOption = None,
    blocks: BlocksOption = None,
) -> None:
    """The block workbook: a sheet per block, a legend and a summary."""
    numbers = _block_numbers(blocks)

    async def work(session: AsyncSession) -> bytes:
        found = await _find_program(session, program)
        chosen = service.pick_blocks(await service.year_blocks(session, found, year), numbers)
        return await service.workbook_bytes(session, found, chosen)

    _write(output, _run(work))


@export_app.command("csv")
def export_csv(program: ProgramOption, output: OutputOption, year: YearOption = None) -> None:
    """Every assignment and shift of the academic year as CSV."""

    async def work(session: AsyncSession) -> bytes:
        found = await _find_program(session, program)
        all_blocks = await service.year_blocks(session, found, year)
        text = await service.csv_text(
            session, found, all_blocks[0].start_date, all_blocks[-1].end_date
        )
        return text.encode()

    _write(output, _run(work))


@export_app.command("plan")
def export_plan(program: ProgramOption, output: OutputOption, year: YearOption = None) -> None:
    """The rotation plan as the resident x block grid."""

    async def work(session: AsyncSession) -> bytes:
        found = await _find_program(session, program)
        return await service.plan_grid_bytes(
            session, found, await service.year_blocks(session, found, year)
        )

    _write(output, _run(work))


@import_app.command("plan")
def import_plan(
    file: Annotated[Path, typer.Argument(help="the plan grid (.xlsx)")],
    program: ProgramOption,
    year: YearOption = None,
    apply: Annotated[bool, typer.Option(help="write the plan (default: dry run)")] = False,
) -> None:
    """Check a rotation-plan grid (dry run), or apply it all at once with --apply."""
    try:
        content = file.read_bytes()
    except OSError as error:
        raise _fail(f"{file}: cannot read ({error.strerror})") from None

    async def work(session: AsyncSession) -> GridReading:
        found = await _find_program(session, program)
        chosen = await service.year_blocks(session, found, year)
        return await service.import_plan(session, found, chosen, content, apply)

    reading = _run(work, write=apply)
    for problem in reading.problems:
        hint = f" (did you mean {', '.join(problem.suggestions)}?)" if problem.suggestions else ""
        typer.echo(f"{problem.cell}: {problem.reason}{hint}", err=True)
    if reading.problems:
        raise typer.Exit(2)
    verb = "applied" if apply else "checked (dry run)"
    typer.echo(f"{len(reading.entries)} plan entries {verb}")


def _write(output: Path, content: bytes) -> None:
    try:
        output.write_bytes(content)
    except OSError as error:
        raise _fail(f"{output}: cannot write ({error.strerror})") from None
    typer.echo(f"wrote {output} ({len(content):,} bytes)")
