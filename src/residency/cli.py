"""The `residency` command: serve, demo, db upgrade, check, program files, users, audit.

Bad input ends with a one-line message on stderr and exit status 2.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError

from residency.audit.cli import audit_app
from residency.compliance.cli import check
from residency.config import Settings, get_settings
from residency.exports.cli import export_app, import_app
from residency.scheduling.cli import solve_command
from residency.users.cli import users_app

app = typer.Typer(help="Residency Scheduler: plan a residency year with ACGME compliance.")
db_app = typer.Typer(help="Database maintenance.")
app.add_typer(db_app, name="db")
app.command("check")(check)
app.command("solve")(solve_command)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")

DEMO_PROGRAM_NAME = "Demo Family Medicine"


def fail(message: str, status: int = 2) -> NoReturn:
    """One line on stderr, then exit (2 = unusable input)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(status)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply the Alembic migrations to DATABASE_URL."""
    from residency.migrate import upgrade_sync

    settings = get_settings()
    upgrade_sync(settings.database_url, revision)
    typer.echo(f"database at {revision}: {_safe_url(settings)}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="bind port")] = None,
) -> None:
    """Migrate the database, then serve the API on HOST:PORT (127.0.0.1:8000)."""
    import uvicorn

    from residency.app import create_app
    from residency.migrate import upgrade_sync

    settings = get_settings()
    upgrade_sync(settings.database_url)
    interrupted = asyncio.run(_fail_interrupted_runs(settings))
    if interrupted:
        typer.echo(f"marked {interrupted} interrupted schedule run(s) as failed")
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port)


async def _fail_interrupted_runs(settings: Settings) -> int:
    """Embedded mode: runs this process left unfinished when it last stopped cannot resume."""
    from residency.db import create_engine_for, create_session_factory
    from residency.runs.execution import fail_interrupted_runs

    engine = create_engine_for(settings)
    try:
        return await fail_interrupted_runs(create_session_factory(engine))
    finally:
        await engine.dispose()


@app.command()
def demo(
    replace: Annotated[bool, typer.Option(help="drop and reload the demo program")] = False,
    seed: Annotated[int, typer.Option(help="random seed")] = 2026,
) -> None:
    """Load the demo family-medicine program (18 residents, 13 faculty) for 2026-27."""
    from residency.demo.generator import build_demo_program
    from residency.migrate import upgrade_sync

    settings = get_settings()
    upgrade_sync(settings.database_url)
    doc = build_demo_program(seed=seed).model_copy(update={"name": DEMO_PROGRAM_NAME})
    message = asyncio.run(_load_demo(settings, doc, replace))
    typer.echo(message)


async def _load_demo(settings: Settings, doc: object, replace: bool) -> str:
    from residency.db import create_engine_for, create_session_factory, unit_of_work
    from residency.demo.loader import load_program_file
    from residency.programs.repository import ProgramRepository

    engine = create_engine_for(settings)
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            existing = await ProgramRepository(session).by_name(DEMO_PROGRAM_NAME)
            if existing is not None and not replace:
                return f"'{DEMO_PROGRAM_NAME}' is already loaded (id {existing.id})"
            if existing is not None:
                await ProgramRepository(session).delete(existing)
            program = await load_program_file(session, doc)  # type: ignore[arg-type]
            return f"loaded '{program.name}' (id {program.id}) into {_safe_url(settings)}"
    finally:
        await engine.dispose()


@app.command("demo-program")
def demo_program(
    output: Annotated[Path, typer.Option("-o", "--output", help="where to write program.json")],
    residents: Annotated[int, typer.Option(min=3, max=5000)] = 18,
    faculty: Annotated[int, typer.Option(min=2, max=2000)] = 13,
    seed: Annotated[int, typer.Option()] = 2026,
) -> None:
    """Write the demo program, at any size, as a program file."""
    from residency.demo.generator import build_demo_program

    doc = build_demo_program(residents=residents, faculty=faculty, seed=seed)
    try:
        output.write_text(doc.model_dump_json(indent=1))
    except OSError as error:
        fail(f"{output}: cannot write ({error.strerror})")
    typer.echo(f"wrote {output}: {len(doc.people)} people, {len(doc.rotations)} rotations")


def read_json_file(path: Path) -> object:
    """The JSON in `path`, or exit 2 with the reason."""
    try:
        return json.loads(path.read_text())
    except OSError as error:
        fail(f"{path}: cannot read ({error.strerror})")
    except json.JSONDecodeError as error:
        fail(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})")


def validation_message(error: ValidationError) -> str:
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or "file"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{location}: {first['msg']}{more}"


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)
