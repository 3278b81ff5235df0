"""Request dependencies: the unit of work and the program in the path."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from residency.db import unit_of_work
from residency.programs.models import Program
from residency.programs.repository import ProgramRepository

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request: committed when the handler succeeds, else rolled back."""
    factory = request.app.state.session_factory
    async with unit_of_work(factory, write=request.method not in SAFE_METHODS) as session:
        yield session


# scope="function": commit before the response is sent, so a failed commit is never a 2xx.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_program(program_id: uuid.UUID, session: SessionDep) -> Program:
    """The program named in the path, or 404."""
    return await ProgramRepository(session).get_or_404(program_id)


ProgramDep = Annotated[Program, Depends(get_program)]
