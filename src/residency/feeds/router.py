"""Routes of a person's calendar feed token: status, regenerate, revoke."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Response, status

from residency.api.deps import ProgramDep, SessionDep
from residency.auth.access import Access, requires
from residency.auth.permissions import Permission
from residency.feeds.schemas import CalendarTokenIssued, CalendarTokenStatus
from residency.feeds.service import CalendarTokenService

router = APIRouter(
    prefix="/programs/{program_id}/people/{person_id}/calendar-token", tags=["calendar feeds"]
)
TokenAccess = Annotated[Access, requires(Permission.CALENDAR_TOKEN)]


def _service(session: SessionDep, program: ProgramDep, access: Access) -> CalendarTokenService:
    return CalendarTokenService(session, program, owner=access.restriction())


@router.get("", response_model=CalendarTokenStatus)
async def read_calendar_token(
    access: TokenAccess, person_id: uuid.UUID, program: ProgramDep, session: SessionDep
) -> Any:
    """Whether the person has a feed token, and since when (never the token itself)."""
    return await _service(session, program, access).status(person_id)


@router.post("", response_model=CalendarTokenIssued, status_code=status.HTTP_201_CREATED)
async def regenerate_calendar_token(
    access: TokenAccess, person_id: uuid.UUID, program: ProgramDep, session: SessionDep
) -> Any:
    """A new feed token, shown once; the previous one stops working at once."""
    return await _service(session, program, access).regenerate(person_id)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_calendar_token(
    access: TokenAccess, person_id: uuid.UUID, program: ProgramDep, session: SessionDep
) -> Response:
    """Revoke the feed token; the feed answers 404 until a new one is made."""
    await _service(session, program, access).revoke(person_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
