"""The schedule grid (block, week and person views), cell edits, and the block workbook."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError

from residency.activities.repository import ActivityRepository
from residency.api.deps import ProgramDep, SessionDep
from residency.assignments.repository import AssignmentRepository
from residency.assignments.schemas import AssignmentCreate, AssignmentUpdate
from residency.assignments.service import AssignmentService
from residency.auth.access import Access
from residency.auth.permissions import Permission
from residency.core.calendar import Session
from residency.errors import InvalidInput, NotFound, ProblemError
from residency.exports.service import workbook_bytes
from residency.people.repository import PersonRepository
from residency.plan.models import EntrySource
from residency.schedule.service import load_snapshot
from residency.web.access import page_requires
from residency.web.context import (
    YearView,
    activity_styles,
    choice_param,
    date_param,
    int_param,
    uuid_param,
    year_view,
)
from residency.web.forms import FormErrors, checkbox, settle, text
from residency.web.grid import (
    Flag,
    build_grid,
    build_person_grid,
    cell_anchor,
    dates_between,
    select_people,
)
from residency.web.render import (
    may,
    program_context,
    program_url,
    render,
    see_other,
    today_in,
)

router = APIRouter(include_in_schema=False)
Reader = Annotated[Access, page_requires(Permission.SCHEDULE_READ)]
Manager = Annotated[Access, page_requires(Permission.SCHEDULE_MANAGE)]
ProgramReader = Annotated[Access, page_requires(Permission.PROGRAM_READ)]
VIEWS = ("block", "week", "person")
BASE = "/ui/programs/{program_id}"


@router.get(BASE)
async def program_home(_: ProgramReader, program: ProgramDep) -> Any:
    return RedirectResponse(program_url(program, "schedule"), status_code=303)


def _flags(request: Request) -> list[Flag]:
    first = date_param(request.query_params.get("flag_from"))
    if first is None:
        return []
    last = date_param(request.query_params.get("flag_to")) or first
    person = request.query_params.get("flag_person") or None
    session = request.query_params.get("flag_session")
    return [Flag(person, first, max(first, last), session if session in ("AM", "PM") else None)]


@router.get(BASE + "/schedule")
async def schedule_page(
    request: Request, access: Reader, program: ProgramDep, session: SessionDep
) -> Any:
    """The published schedule: people in rows, days in columns, AM and PM cells."""
    params = request.query_params
    today = today_in(request, program)
    years = await year_view(session, program, today, int_param(params.get("year")))
    view = choice_param(params.get("view"), VIEWS, "block")
    role = choice_param(params.get("role"), ("resident", "faculty"), "")
    pgy = int_param(params.get("pgy"), 1, 8)
    editing = params.get("edit") == "1" and _may_edit(access)
    block = years.block(int_param(params.get("block"), 0, 13), today)
    context: dict[str, Any] = {
        **program_context(request, access, program, "schedule"),
        "years": years,
        "block": block,
        "view": view,
        "role": role,
        "pgy": pgy,
        "editing": editing,
        "may_edit": _may_edit(access),
        "grid": None,
        "person": None,
        "week_start": None,
        "range": None,
        "people_options": [],
        "pgy_options": [],
        "links": {},
        "url_with": url_with(request),
    }
    if years.year is None or block is None:
        return render(request, "schedule.html", context)
    if view == "week":
        asked = date_param(params.get("week")) or (
            today if years.year.start_date <= today <= years.year.end_date else block.start_date
        )
        first = asked - timedelta(days=asked.weekday())
        last = first + timedelta(days=6)
    else:
        first, last = block.start_date, block.end_date
    snapshot = await load_snapshot(session, program, first, last)
    styles = await activity_styles(session, program)
    everyone = select_people(snapshot)
    context["people_options"] = everyone
    context["pgy_options"] = sorted({p.pgy for p in everyone if p.pgy is not None})
    flags = _flags(request)
    edit_url = _edit_url(program, request.url.query) if editing else None
    if view == "person":
        wanted = params.get("person") or (str(access.person_id) if access.person_id else None)
        person = snapshot.people.get(wanted or "") or (everyone[0] if everyone else None)
        context["person"] = person
        if person is not None:
            context["grid"] = build_person_grid(
                snapshot, styles, person, first, last, today, flags, edit_url
            )
    else:
        people = select_people(snapshot, role or None, pgy)
        context["grid"] = build_grid(
            snapshot, styles, dates_between(first, last), people, today, flags, edit_url
        )
        context["week_start"] = first if view == "week" else None
    context["range"] = (first, last)
    context["page_styles"] = context["grid"].style_rules if context["grid"] else ""
    context["links"] = _links(view, years, block, first, today)
    return render(request, "schedule.html", context)


def _links(view: str, years: YearView, block: Any, first: date, today: date) -> dict[str, Any]:
    """Previous, next and today for the view shown, as query overrides."""
    if view == "week":
        return {
            "prev": {"week": (first - timedelta(days=7)).isoformat()},
            "next": {"week": (first + timedelta(days=7)).isoformat()},
            "today": {"week": today.isoformat()},
            "unit": "week",
        }
    numbers = [b.number for b in years.blocks]
    index = numbers.index(block.number)
    holding = years.block_of(today)
    return {
        "prev": {"block": numbers[index - 1]} if index > 0 else None,
        "next": {"block": numbers[index + 1]} if index + 1 < len(numbers) else None,
        "today": {"block": holding.number} if holding else None,
        "unit": "block",
    }


def url_with(request: Request) -> Any:
    """A function for the template: this page's address with some parameters changed."""
    keep = {
        k: v
        for k, v in request.query_params.items()
        if k not in ("notice",) and not k.startswith("flag_")
    }

    def url(**changes: Any) -> str:
        merged = {**keep, **{k: v for k, v in changes.items()}}
        query = urlencode({k: v for k, v in merged.items() if v not in (None, "")})
        return str(request.url.path) + (f"?{query}" if query else "")

    return url


def _may_edit(access: Access) -> bool:
    return may(access, Permission.SCHEDULE_MANAGE)


def _edit_url(program: Any, back: str) -> Any:
    base = program_url(program, "schedule/cell")

    def url(person: str, day: date, session: str) -> str:
        return (
            base
            + "?"
            + urlencode(
                {"person": person, "date": day.isoformat(), "session": session, "back": back}
            )
        )

    return url


def _back(raw: str | None, program: Any) -> str:
    """The grid page to return to: the schedule page with the query it had."""
    page = program_url(program, "schedule")
    query = (raw or "").lstrip("?")
    if query.startswith(page):  # a full address (older links)
        query = query[len(page) :].lstrip("?")
    if "#" in query or "\\" in query or "//" in query:
        return page
    return f"{page}?{query}" if query else page


async def _cell_context(
    request: Request, access: Access, program: Any, session: Any, source: Any
) -> dict[str, Any]:
    person_id = uuid_param(source.get("person"))
    day = date_param(source.get("date"))
    slot = source.get("session")
    if person_id is None or day is None or slot not in ("AM", "PM"):
        raise NotFound("no such cell")
    person = await PersonRepository(session).get_or_404(person_id, program.id)
    current = await AssignmentRepository(session).in_slot(person.id, day, Session(slot))
    activities = sorted(await ActivityRepository(session).all_for(program.id), key=lambda a: a.code)
    return {
        **program_context(request, access, program, "schedule"),
        "person": person,
        "day": day,
        "slot": slot,
        "current": current,
        "current_code": next(
            (a.code for a in activities if current and a.id == current.activity_id), None
        ),
        "activities": activities,
        "back": _back(source.get("back"), program),
        "errors": FormErrors(),
        "chosen": str(current.activity_id) if current else "",
        "locked": bool(current and current.locked),
    }


@router.get(BASE + "/schedule/cell")
async def cell_page(
    request: Request, access: Manager, program: ProgramDep, session: SessionDep
) -> Any:
    """Edit one cell of the published schedule (a manual change, re-checked by compliance)."""
    context = await _cell_context(request, access, program, session, request.query_params)
    return render(request, "cell.html", context)


@router.post(BASE + "/schedule/cell")
async def save_cell(
    request: Request, access: Manager, program: ProgramDep, session: SessionDep
) -> Any:
    form = await request.form()
    context = await _cell_context(request, access, program, session, form)
    person, day, slot, current = (
        context["person"],
        context["day"],
        context["slot"],
        context["current"],
    )
    chosen = text(form, "activity")
    locked = checkbox(form, "locked")
    version = text(form, "version")
    if_match = f'"{version}"' if version.isdigit() else None
    activity_id = uuid_param(chosen) if chosen else None
    service = AssignmentService(session, program)
    try:
        if chosen and activity_id is None:
            raise InvalidInput.field("activity", "choose one of the options")
        if activity_id is None:
            if current is not None:
                await service.delete(current.id, if_match)
        elif current is None:
            await service.create(
                AssignmentCreate(
                    person_id=person.id,
                    date=day,
                    session=Session(slot),
                    activity_id=activity_id,
                    source=EntrySource.MANUAL,
                    locked=locked,
                )
            )
        else:
            await service.update(
                current.id, AssignmentUpdate(activity_id=activity_id, locked=locked), if_match
            )
    except (ProblemError, IntegrityError) as error:
        await settle(session, error, program)
        if isinstance(error, ProblemError):
            errors = FormErrors.from_problem(error, {"activity"})
            status = error.status if error.status in (409, 412) else 422
        else:
            errors, status = FormErrors.from_integrity(error, {"activity"}), 409
        context = await _cell_context(request, access, program, session, form)
        context.update(errors=errors, chosen=chosen, locked=locked)
        return render(request, "cell.html", context, status_code=status)
    return see_other(context["back"], "cell-saved", cell_anchor(str(person.id), day, slot))


@router.get(BASE + "/schedule/workbook")
async def workbook(
    request: Request, _: Reader, program: ProgramDep, session: SessionDep
) -> Response:
    """The block workbook (XLSX) of the block shown, from the same service as the CLI."""
    today = today_in(request, program)
    years = await year_view(session, program, today, int_param(request.query_params.get("year")))
    block = years.block(int_param(request.query_params.get("block"), 0, 13), today)
    if block is None:
        raise NotFound("the program has no blocks")
    content = await workbook_bytes(session, program, [block])
    name = f"schedule-block-{block.number}.xlsx"
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
