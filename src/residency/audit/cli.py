"""`residency audit verify`: recompute the hash chain and report the first broken link."""

from __future__ import annotations

import asyncio

import typer
from sqlalchemy.exc import SQLAlchemyError

from residency.audit.chain import ChainBreak
from residency.config import Settings, get_settings

audit_app = typer.Typer(help="The audit trail.")


@audit_app.command("verify")
def verify() -> None:
    """Re-compute every entry's hash and link; exit 0 when intact, 1 at the first break."""
    try:
        count, broken = asyncio.run(_verify(get_settings()))
    except SQLAlchemyError as error:
        typer.echo(f"error: cannot read the audit trail ({type(error).__name__})", err=True)
        raise typer.Exit(2) from None
    if broken is not None:
        typer.echo(broken.message(), err=True)
        typer.echo(f"{count} entries before it verified", err=True)
        raise typer.Exit(1)
    typer.echo(f"audit chain intact: {count} entries verified")


async def _verify(settings: Settings) -> tuple[int, ChainBreak | None]:
    from residency.audit.service import verify_chain
    from residency.db import create_engine_for, create_session_factory, unit_of_work

    engine = create_engine_for(settings)
    try:
        async with unit_of_work(create_session_factory(engine), write=False) as session:
            return await verify_chain(session)
    finally:
        await engine.dispose()
