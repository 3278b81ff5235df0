"""`residency users create-admin`: bootstrap the first admin.

The password comes from $RESIDENCY_ADMIN_PASSWORD or a hidden, confirmed prompt; it is
never echoed, printed or logged.
"""

from __future__ import annotations

import asyncio
import os
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError

from residency.audit.service import Actor, act_as
from residency.auth.passwords import Passwords
from residency.config import Settings, get_settings
from residency.errors import ProblemError
from residency.users.schemas import UserCreate, UserRead
from residency.users.service import UserService

PASSWORD_ENV = "RESIDENCY_ADMIN_PASSWORD"
users_app = typer.Typer(help="Users who sign in.")


@users_app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(prompt=True, help="the admin's sign-in name")],
    display_name: Annotated[str | None, typer.Option(help="shown instead of the name")] = None,
) -> None:
    """Create an admin user. Password: $RESIDENCY_ADMIN_PASSWORD, or asked for (hidden)."""
    from residency.migrate import upgrade_sync

    password = os.environ.get(PASSWORD_ENV) or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        payload = UserCreate(
            username=username, password=password, display_name=display_name, is_admin=True
        )
    except ValidationError as error:  # names the field, never echoes the value
        _fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()))
    settings = get_settings()
    upgrade_sync(settings.database_url)
    try:
        user = asyncio.run(_create(settings, payload))
    except ProblemError as error:
        _fail(error.detail)
    typer.echo(f"created admin '{user.username}' (id {user.id})")


async def _create(settings: Settings, payload: UserCreate) -> UserRead:
    from residency.db import create_engine_for, create_session_factory, unit_of_work

    engine = create_engine_for(settings)
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            act_as(session, Actor(None, "cli:create-admin"))
            user = await UserService(session, Passwords(settings)).create(payload)
            return UserRead.model_validate(user)
    finally:
        await engine.dispose()


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)
