"""`residency solve program.json -o schedule.json`: generate a schedule from a program file.

Register on the project's Typer app with ``app.command("solve")(solve_command)``. A Rich
progress bar shows the phase, the objective, the bound and the gap. Exit status: 0 when a
schedule was written, 3 when no schedule satisfies the rules (the explanation on stderr,
no file written), 2 when the program file is unusable (one line naming the field), 1 when
the run failed or was cancelled.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from residency.compliance.model import problems_from_validation
from residency.core.program_file import ProgramFile
from residency.scheduling.interface import SolveProgress, SolveRequest, SolveResult
from residency.scheduling.pipeline import solve
from residency.scheduling.schedule_file import ScheduleFile

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INFEASIBLE = 0, 1, 2, 3


def solve_command(
    program: Annotated[Path, typer.Argument(help="The program file (program.json).")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write the schedule file.")
    ],
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=1, help="Seconds the solver may use.")
    ] = 60.0,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 0,
    scope: Annotated[
        str, typer.Option("--scope", help="'year', or a block number to re-solve.")
    ] = "year",
    workers: Annotated[int, typer.Option("--workers", min=1, help="CP-SAT workers.")] = 2,
) -> None:
    """Generate the rotation plan, FMIT weeks and block schedules of a program file."""
    doc = _load_program(program)
    request = SolveRequest(
        program=doc,
        scope=_scope(scope),
        time_limit_s=time_limit,
        seed=seed,
        workers=workers,
    )
    result = _solve_with_progress(request)
    if result.status == "succeeded":
        _write(output, ScheduleFile.from_result(doc, result))
        gap = "-" if result.gap is None else f"{result.gap:.2%}"
        typer.echo(
            f"wrote {output}: {len(result.assignments)} assignments, {len(result.shifts)} "
            f"shifts; objective {result.objective:g}, gap {gap}, {result.seconds:.1f} s"
        )
        raise typer.Exit(EXIT_OK)
    if result.status == "infeasible":
        _print_explanation(result)
        raise typer.Exit(EXIT_INFEASIBLE)
    typer.echo(f"{result.status}: {result.message}", err=True)
    raise typer.Exit(EXIT_FAILED)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_BAD_INPUT)


def _load_program(path: Path) -> ProgramFile:
    """Read and validate the program file; exit 2 with one line naming the field."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise _fail(f"{path}: cannot read file: {reason}") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise _fail(f"{path}: invalid JSON at {where}: {error.msg}") from None
    try:
        return ProgramFile.model_validate(data)
    except ValidationError as error:
        problems = problems_from_validation(error)
        first = problems[0]
        text = first.reason if first.field == "(root)" else str(first)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise _fail(f"{path}: {text}{more}") from None


def _scope(text: str) -> str | int:
    if text == "year":
        return "year"
    if text.isdigit() and 0 <= int(text) <= 13:
        return int(text)
    raise _fail(f"--scope: expected 'year' or a block number 0..13, got {text!r}")


def _solve_with_progress(request: SolveRequest) -> SolveResult:
    console = Console(stderr=True)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description:<18}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[figures]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("starting", total=1.0, figures="")

        def report(update: SolveProgress) -> None:
            progress.update(
                task,
                description=update.phase,
                completed=update.fraction,
                figures=_figures(update),
            )

        return solve(request, on_progress=report)


def _figures(update: SolveProgress) -> str:
    if update.objective is None:
        return ""
    gap = "" if update.gap is None else f" gap {update.gap:.1%}"
    bound = "" if update.bound is None else f" bound {update.bound:g}"
    return f"objective {update.objective:g}{bound}{gap}"


def _write(path: Path, schedule: ScheduleFile) -> None:
    try:
        path.write_text(schedule.model_dump_json(indent=1), encoding="utf-8")
    except OSError as error:
        raise _fail(f"{path}: cannot write file: {error.strerror}") from None


def _print_explanation(result: SolveResult) -> None:
    typer.echo(f"infeasible: {result.message}", err=True)
    for conflict in result.explanation:
        dates = ", ".join(day.isoformat() for day in conflict.dates[:12])
        more = f" (+{len(conflict.dates) - 12} more)" if len(conflict.dates) > 12 else ""
        typer.echo(f"- rules: {', '.join(conflict.rules)}", err=True)
        if conflict.people:
            typer.echo(f"  people: {', '.join(conflict.people)}", err=True)
        if conflict.dates:
            typer.echo(f"  dates: {dates}{more}", err=True)
        typer.echo(f"  {conflict.message}", err=True)
