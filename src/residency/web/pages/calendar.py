"""My calendar: the person's feed link (shown once), copy it, regenerate or revoke it."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request

from residency.api.deps import ProgramDep, SessionDep
from residency.auth.access import Access
from residency.auth.permissions import Permission, Scope
from residency.feeds.service import CalendarTokenService
from residency.web.access import page_requires
from residency.web.context import people_of, uuid_param
from residency.web.render import program_context, program_url, render, see_other

router = APIRouter(include_in_schema=False)
TokenAccess = Annotated[Access, page_requires(Permission.CALENDAR_TOKEN)]
BASE = "/ui/programs/{program_id}/calendar"


def _person_of(access: Access, raw: str | None) -> uuid.UUID | None:
    """Members: their own person. Coordinators and admins: the person chosen, if any."""
    if access.scope is Scope.OWN:
        return access.person_id
    return uuid_param(raw) or access.person_id


async def _context(
    request: Request, access: Access, program: Any, session: Any, person_id: uuid.UUID | None
) -> dict[str, Any]:
    people = await people_of(session, program) if access.scope is Scope.ALL else []
    status = None
    person = None
    if person_id is not None:
        status = await CalendarTokenService(
            session, program, owner=access.restriction() if access.scope is Scope.OWN else None
        ).status(person_id)
        person = next((p for p in people if p.id == person_id), None)
    return {
        **program_context(request, access, program, "calendar"),
        "person_id": person_id,
        "person": person,
        "people": people,
        "status": status,
        "feed_url": None,
        "own": access.scope is Scope.OWN,
    }


@router.get(BASE)
async def calendar_page(
    request: Request, access: TokenAccess, program: ProgramDep, session: SessionDep
) -> Any:
    """Whether a feed link exists, and the button that makes a new one."""
    person_id = _person_of(access, request.query_params.get("person"))
    return render(
        request, "calendar.html", await _context(request, access, program, session, person_id)
    )


def _service(access: Access, session: Any, program: Any) -> CalendarTokenService:
    return CalendarTokenService(session, program, owner=access.restriction())


@router.post(BASE + "/regenerate")
async def regenerate(
    request: Request, access: TokenAccess, program: ProgramDep, session: SessionDep
) -> Any:
    """A new feed link, shown on this page once; the previous link stops working."""
    form = await request.form()
    raw = form.get("person")
    person_id = _person_of(access, raw if isinstance(raw, str) else None)
    if person_id is None:
        return see_other(program_url(program, "calendar"))
    issued = await _service(access, session, program).regenerate(person_id)
    context = await _context(request, access, program, session, person_id)
    base = str(request.base_url).rstrip("/")
    context["feed_url"] = f"{base}/cal/{issued.token}.ics"
    return render(request, "calendar.html", context)


@router.post(BASE + "/revoke")
async def revoke(
    request: Request, access: TokenAccess, program: ProgramDep, session: SessionDep
) -> Any:
    form = await request.form()
    raw = form.get("person")
    person_id = _person_of(access, raw if isinstance(raw, str) else None)
    if person_id is not None:
        await _service(access, session, program).revoke(person_id)
    suffix = f"?person={person_id}" if person_id and access.scope is Scope.ALL else ""
    return see_other(program_url(program, "calendar") + suffix, "feed-revoked")
