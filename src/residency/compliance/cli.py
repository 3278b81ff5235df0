"""`residency check FILE [--json]`: duty-hour compliance of a timeline or schedule file.

Register on the project's Typer app with ``app.command("check")(check)``. Exit status:
0 when no violation (warnings allowed), 1 with at least one violation, 2 when the input
is unusable (one line on stderr naming the field and why).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from residency.compliance.engine import check_timeline
from residency.compliance.model import Timeline, TimelineError, parse_document
from residency.compliance.result import ComplianceResult, to_report

USAGE_ERROR = 2


def check(
    file: Annotated[Path, typer.Argument(help="Duty timeline JSON, or a schedule embedding it.")],
    json_output: bool = typer.Option(False, "--json", help="Print the JSON report."),
) -> None:
    """Check a duty timeline against the ACGME duty-hour rules."""
    timeline = _load(file)
    result = check_timeline(timeline)
    if json_output:
        typer.echo(json.dumps(to_report(result), indent=1))
    else:
        _print_table(result)
    raise typer.Exit(result.exit_code)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(USAGE_ERROR)


def _load(file: Path) -> Timeline:
    """Read, decode and validate the file; exit 2 with a one-line reason otherwise."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{file}: cannot read file: {_os_reason(exc)}") from None
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise _fail(f"{file}: invalid JSON at {where}: {exc.msg}") from None
    try:
        return parse_document(doc)
    except TimelineError as exc:
        raise _fail(f"{file}: {exc}") from None


def _os_reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


PIPED_WIDTH = 160


def _console() -> Console:
    """A console that never truncates findings when the output is not a terminal."""
    console = Console()
    if not console.is_terminal:
        console = Console(width=max(console.width, PIPED_WIDTH))
    return console


def _print_table(result: ComplianceResult) -> None:
    console = _console()
    if not result.violations:
        console.print("No duty-hour violations or warnings.")
        return
    table = Table(title=f"Duty-hour findings ({result.timezone})")
    for column in ("rule", "person", "severity", "start", "end", "value", "limit"):
        numeric = column in ("value", "limit")
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    table.add_column("message", ratio=1, overflow="fold")
    for v in result.violations:
        style = "red" if v.severity == "violation" else "yellow"
        table.add_row(
            v.rule,
            v.person,
            f"[{style}]{v.severity}[/{style}]",
            _when(v.start),
            _when(v.end),
            f"{v.value:g}",
            f"{v.limit:g}",
            v.message,
        )
    console.print(table)
    errors, warnings = len(result.errors), len(result.warnings)
    console.print(f"{errors} violation(s), {warnings} warning(s)")


def _when(moment: datetime) -> str:
    """Compact local time with its UTC offset, e.g. ``2026-11-01 17:00 -05:00``."""
    return f"{moment:%Y-%m-%d %H:%M} {moment.isoformat()[-6:]}"
