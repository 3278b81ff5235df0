"""Admin pages: people, rotations, activities and program settings.

Each form posts plain fields; the route builds the API's own create/update schema and
calls the API's own service (PersonService, RotationService, ActivityService,
ProgramService), so every rule and every audit entry is the same as over the API.
Edits carry the row's version and are refused when someone changed the row meanwhile.
People, activities and rotations are each described once (`AdminRows`: how a form and a
row become the form's values, what the pages show around them); listing, showing,
saving and deleting are the same for all three.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from residency.activities.kinds import ActivityCategory
from residency.activities.schemas import ActivityCreate, ActivityUpdate
from residency.activities.service import ActivityService
from residency.api.deps import ProgramDep, SessionDep
from residency.auth.access import Access
from residency.auth.permissions import Permission
from residency.core.calendar import WEEKDAYS
from residency.core.settings import ProgramSettings
from residency.errors import ProblemError
from residency.people.kinds import FacultyRole, PersonRole
from residency.people.schemas import PersonCreate, PersonUpdate
from residency.people.service import PersonService
from residency.programs.models import Program
from residency.programs.schemas import ProgramUpdate
from residency.programs.service import ProgramService
from residency.rotations.schemas import RotationCreate, RotationUpdate
from residency.rotations.service import RotationService
from residency.service_base import ScopedService
from residency.web.access import page_requires
from residency.web.context import activity_styles, people_of
from residency.web.forms import FormErrors, checkbox, number, optional_text, settle, text
from residency.web.grid import activity_classes, style_rules
from residency.web.render import program_context, program_url, render, see_other
from residency.web.settings_form import refill, settings_from_form, settings_groups

router = APIRouter(include_in_schema=False)
ProgramManager = Annotated[Access, page_requires(Permission.PROGRAM_MANAGE)]
BASE = "/ui/programs/{program_id}/admin"
Refusal = (ProblemError, ValidationError, IntegrityError)


def _if_match(form: FormData) -> str | None:
    version = text(form, "version")
    return f'"{version}"' if version.isdigit() else None


def _errors(error: Exception, known: set[str]) -> FormErrors:
    if isinstance(error, ValidationError):
        return FormErrors.from_validation(error, known)
    if isinstance(error, IntegrityError):
        return FormErrors.from_integrity(error, known)
    assert isinstance(error, ProblemError)
    return FormErrors.from_problem(error, known)


def _status(error: Exception) -> int:
    if isinstance(error, ProblemError) and error.status in (409, 412):
        return error.status
    if isinstance(error, IntegrityError):
        return 409
    return 422


Values = dict[str, Any]
FormOf = Callable[[AsyncSession, Program, Values | None], Awaitable[Values]]


@dataclass(frozen=True)
class AdminRows:
    """One kind of row the admin pages list, show, create, edit and delete."""

    section: str  # in the URL (admin/<section>) and the navigation
    service: type[ScopedService[Any]]
    create: type[BaseModel]
    update: type[BaseModel]
    fields: frozenset[str]  # the form's fields, for errors shown in place
    list_template: str
    item_template: str
    item_name: str  # what the item template calls the row
    from_form: Callable[[FormData], Values]
    from_row: Callable[[Any], Values]
    shown: Callable[[Values], Values]  # a refused form's values, as it shows them again
    form: FormOf  # the form's options, and its values (None: a new row's defaults)
    listing: Callable[[AsyncSession, Program], Awaitable[Values]]  # the rows, for the list


async def _list_page(
    rows: AdminRows,
    request: Request,
    access: Access,
    program: Program,
    session: AsyncSession,
    *,
    values: Values | None = None,
    errors: FormErrors | None = None,
    status: int = 200,
) -> Any:
    context = {
        **program_context(request, access, program, rows.section),
        **await rows.listing(session, program),
        "errors": errors or FormErrors(),
        **await rows.form(session, program, values),
    }
    return render(request, rows.list_template, context, status_code=status)


async def _item_page(
    rows: AdminRows,
    request: Request,
    access: Access,
    program: Program,
    session: AsyncSession,
    item_id: uuid.UUID,
    *,
    values: Values | None = None,
    version: str | None = None,
    errors: FormErrors | None = None,
    status: int = 200,
) -> Any:
    item = await rows.service(session, program).get(item_id)
    context = {
        **program_context(request, access, program, rows.section),
        rows.item_name: item,
        "version": version or item.version,
        "errors": errors or FormErrors(),
        **await rows.form(session, program, rows.from_row(item) if values is None else values),
    }
    return render(request, rows.item_template, context, status_code=status)


async def _save(
    rows: AdminRows,
    request: Request,
    access: Access,
    program: Program,
    session: AsyncSession,
    item_id: uuid.UUID | None,
) -> Any:
    """Create (no `item_id`) or edit a row; a refusal shows the form again, in place."""
    form = await request.form()
    values = rows.from_form(form)
    service = rows.service(session, program)
    try:
        if item_id is None:
            await service.create(rows.create.model_validate(values))
        else:
            await service.update(item_id, rows.update.model_validate(values), _if_match(form))
    except Refusal as error:
        await settle(session, error, program)
        again = {"values": rows.shown(values), "errors": _errors(error, set(rows.fields))}
        if item_id is None:
            return await _list_page(
                rows, request, access, program, session, status=_status(error), **again
            )
        return await _item_page(
            rows,
            request,
            access,
            program,
            session,
            item_id,
            version=text(form, "version") or None,
            status=_status(error),
            **again,
        )
    notice = "created" if item_id is None else "saved"
    return see_other(program_url(program, f"admin/{rows.section}"), notice)


async def _delete(
    rows: AdminRows,
    request: Request,
    access: Access,
    program: Program,
    session: AsyncSession,
    item_id: uuid.UUID,
) -> Any:
    form = await request.form()
    try:
        await rows.service(session, program).delete(item_id, _if_match(form))
    except Refusal as error:
        await settle(session, error, program)
        return await _list_page(
            rows,
            request,
            access,
            program,
            session,
            errors=_errors(error, set()),
            status=_status(error),
        )
    return see_other(program_url(program, f"admin/{rows.section}"), "deleted")


async def _create(
    rows: AdminRows, request: Request, access: Access, program: Program, session: AsyncSession
) -> Any:
    return await _save(rows, request, access, program, session, None)


Action = Callable[..., Awaitable[Any]]


def _collection_route(rows: AdminRows, guard: Any, action: Action) -> Action:
    # `access` first: the guard may renew the sign-in in a transaction of its own,
    # before the request's session begins.
    async def route(
        request: Request, *, access: Access = guard, program: ProgramDep, session: SessionDep
    ) -> Any:
        return await action(rows, request, access, program, session)

    return route


def _item_route(rows: AdminRows, guard: Any, action: Action) -> Action:
    async def route(
        request: Request,
        *,
        access: Access = guard,
        program: ProgramDep,
        session: SessionDep,
        item_id: uuid.UUID,
    ) -> Any:
        return await action(rows, request, access, program, session, item_id)

    return route


def _add_routes(rows: AdminRows, guard: Any, *, deletable: bool) -> None:
    """The pages of `rows` under admin/<section>, for the users `guard` lets in: the list
    (with the form to add one), one row (with the form to edit it), create, edit and,
    when `deletable`, delete."""
    collection = f"{BASE}/{rows.section}"
    item = collection + "/{item_id}"
    routes = [
        (collection, "GET", _collection_route(rows, guard, _list_page), ""),
        (item, "GET", _item_route(rows, guard, _item_page), "_item"),
        (collection, "POST", _collection_route(rows, guard, _create), "_create"),
        (item, "POST", _item_route(rows, guard, _save), "_update"),
    ]
    if deletable:
        routes.append((item + "/delete", "POST", _item_route(rows, guard, _delete), "_delete"))
    for path, method, endpoint, suffix in routes:
        router.add_api_route(path, endpoint, methods=[method], name=f"admin_{rows.section}{suffix}")


# --- people ------------------------------------------------------------------------------

PERSON_LABELS = {
    "name": "Name",
    "email": "Email",
    "role": "Role",
    "pgy": "PGY",
    "faculty_role": "Faculty role",
    "weekly_clinic_cap": "Clinic sessions a week, at most",
    "active": "Active",
}
NEW_PERSON: Values = {
    "name": "",
    "email": "",
    "role": "resident",
    "pgy": 1,
    "faculty_role": "",
    "weekly_clinic_cap": "",
    "active": True,
}


def _person_values(form: FormData) -> Values:
    role = text(form, "role")
    return {
        "name": text(form, "name"),
        "email": optional_text(form, "email"),
        "role": role,
        "pgy": number(form, "pgy") if role != PersonRole.FACULTY else None,
        "faculty_role": (
            optional_text(form, "faculty_role") if role != PersonRole.RESIDENT else None
        ),
        "weekly_clinic_cap": (
            number(form, "weekly_clinic_cap") if role != PersonRole.RESIDENT else None
        ),
        "active": checkbox(form, "active"),
    }


def _person_row(person: Any) -> Values:
    return {
        "name": person.name,
        "email": person.email or "",
        "role": person.role.value,
        "pgy": person.pgy or "",
        "faculty_role": person.faculty_role.value if person.faculty_role else "",
        "weekly_clinic_cap": "" if person.weekly_clinic_cap is None else person.weekly_clinic_cap,
        "active": person.active,
    }


async def _person_form(_session: AsyncSession, _program: Program, values: Values | None) -> Values:
    return {
        "role_options": [(r.value, r.value.capitalize()) for r in PersonRole],
        "faculty_options": [(f.value, f.value.replace("_", " ").upper()) for f in FacultyRole],
        "values": values or NEW_PERSON,
        "labels": PERSON_LABELS,
    }


async def _people_listing(session: AsyncSession, program: Program) -> Values:
    return {"people": await people_of(session, program)}


PEOPLE = AdminRows(
    section="people",
    service=PersonService,
    create=PersonCreate,
    update=PersonUpdate,
    fields=frozenset(PERSON_LABELS),
    list_template="admin_people.html",
    item_template="admin_person.html",
    item_name="person",
    from_form=_person_values,
    from_row=_person_row,
    shown=lambda values: {**values, "pgy": values["pgy"] or "", "email": values["email"] or ""},
    form=_person_form,
    listing=_people_listing,
)
_add_routes(PEOPLE, page_requires(Permission.PEOPLE_MANAGE), deletable=False)


# --- activities --------------------------------------------------------------------------

ACTIVITY_FLAGS = (
    ("counts_toward_hours", "Counts toward duty hours"),
    ("needs_supervision", "Needs supervision (residents seeing patients)"),
    ("provides_supervision", "Provides supervision (precepting)"),
    ("sees_patients", "Sees patients (uses a clinic room)"),
    ("procedures", "Procedures (counts as more supervision)"),
)
SESSION_TIMES = ("am_start", "am_end", "pm_start", "pm_end")
NEW_ACTIVITY: Values = {
    "code": "",
    "name": "",
    "category": "clinical",
    "color": "#cccccc",
    **dict.fromkeys(SESSION_TIMES, ""),
    "counts_toward_hours": True,
    "needs_supervision": False,
    "provides_supervision": False,
    "sees_patients": False,
    "procedures": False,
}


def _activity_values(form: FormData) -> Values:
    values: Values = {
        "code": text(form, "code"),
        "name": text(form, "name"),
        "category": text(form, "category"),
        "color": text(form, "color") or "#cccccc",
    }
    for name in SESSION_TIMES:
        values[name] = optional_text(form, name)
    for name, _ in ACTIVITY_FLAGS:
        values[name] = checkbox(form, name)
    return values


def _time_text(value: Any) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def _activity_row(activity: Any) -> Values:
    return {
        "code": activity.code,
        "name": activity.name,
        "category": activity.category.value,
        "color": activity.color,
        **{name: _time_text(getattr(activity, name)) for name in SESSION_TIMES},
        **{name: getattr(activity, name) for name, _ in ACTIVITY_FLAGS},
    }


async def _activity_form(
    _session: AsyncSession, _program: Program, values: Values | None
) -> Values:
    return {
        "category_options": [(c.value, c.value.replace("_", " ")) for c in ActivityCategory],
        "flags": ACTIVITY_FLAGS,
        "values": values or NEW_ACTIVITY,
    }


async def _activities_listing(session: AsyncSession, program: Program) -> Values:
    rows, _ = await ActivityService(session, program).page({}, limit=1000, offset=0)
    styles = await activity_styles(session, program)
    return {
        "activities": sorted(rows, key=lambda a: a.code),
        "classes": activity_classes(styles),
        "page_styles": style_rules(styles),
    }


ACTIVITIES = AdminRows(
    section="activities",
    service=ActivityService,
    create=ActivityCreate,
    update=ActivityUpdate,
    fields=frozenset(NEW_ACTIVITY),
    list_template="admin_activities.html",
    item_template="admin_activity.html",
    item_name="item",
    from_form=_activity_values,
    from_row=_activity_row,
    shown=lambda values: {k: ("" if v is None else v) for k, v in values.items()},
    form=_activity_form,
    listing=_activities_listing,
)
_add_routes(ACTIVITIES, page_requires(Permission.PROGRAM_MANAGE), deletable=True)


# --- rotations ---------------------------------------------------------------------------

ROTATION_FLAGS = (
    ("leave_allowed", "Leave may be taken on it"),
    ("protected_education_exempt", "Exempt from protected didactics"),
    ("heavy", "Heavy: spread fairly across residents (e.g. FMIT, night float)"),
    ("takes_call", "Residents on it take in-house call"),
)
NEW_ROTATION: Values = {
    "name": "",
    "abbreviation": "",
    "weekly_pattern": {},
    "min_residents": 0,
    "max_residents": 99,
    "eligible_pgy": [1, 2, 3],
    "flex_activity": "",
    "leave_allowed": True,
    "protected_education_exempt": False,
    "heavy": False,
    "takes_call": False,
}


def _rotation_values(form: FormData) -> Values:
    pattern: dict[str, dict[str, str | None]] = {}
    for day in WEEKDAYS:
        cells = {s: optional_text(form, f"weekly_pattern.{day}.{s}") for s in ("AM", "PM")}
        if any(cells.values()):
            pattern[day] = cells
    values: Values = {
        "name": text(form, "name"),
        "abbreviation": text(form, "abbreviation"),
        "weekly_pattern": pattern,
        "min_residents": number(form, "min_residents"),
        "max_residents": number(form, "max_residents"),
        "eligible_pgy": [
            int(v) for v in form.getlist("eligible_pgy") if isinstance(v, str) and v.isdigit()
        ],
        "flex_activity": optional_text(form, "flex_activity"),
    }
    for name, _ in ROTATION_FLAGS:
        values[name] = checkbox(form, name)
    return {k: v for k, v in values.items() if v is not None or k == "flex_activity"}


def _rotation_row(rotation: Any) -> Values:
    return {
        "name": rotation.name,
        "abbreviation": rotation.abbreviation,
        "weekly_pattern": rotation.weekly_pattern or {},
        "min_residents": rotation.min_residents,
        "max_residents": rotation.max_residents,
        "eligible_pgy": list(rotation.eligible_pgy),
        "flex_activity": rotation.flex_activity or "",
        **{name: getattr(rotation, name) for name, _ in ROTATION_FLAGS},
    }


async def _rotation_form(session: AsyncSession, program: Program, values: Values | None) -> Values:
    return {
        "weekdays": WEEKDAYS,
        "codes": sorted(await activity_styles(session, program)),
        "flags": ROTATION_FLAGS,
        "pgy_options": [(n, f"PGY-{n}") for n in range(1, 9)],
        "values": values or NEW_ROTATION,
    }


async def _rotations_listing(session: AsyncSession, program: Program) -> Values:
    rows, _ = await RotationService(session, program).page({}, limit=1000, offset=0)
    return {"rotations": sorted(rows, key=lambda r: r.name.lower())}


ROTATIONS = AdminRows(
    section="rotations",
    service=RotationService,
    create=RotationCreate,
    update=RotationUpdate,
    fields=frozenset(NEW_ROTATION),
    list_template="admin_rotations.html",
    item_template="admin_rotation.html",
    item_name="item",
    from_form=_rotation_values,
    from_row=_rotation_row,
    shown=lambda values: {
        "min_residents": "",
        "max_residents": "",
        **values,
        "flex_activity": values.get("flex_activity") or "",
    },
    form=_rotation_form,
    listing=_rotations_listing,
)
_add_routes(ROTATIONS, page_requires(Permission.PROGRAM_MANAGE), deletable=True)


# --- program settings --------------------------------------------------------------------

PROGRAM_FIELDS = {"name", "timezone", "block_weekday"}


def _settings_context(
    request: Request, access: Access, program: Any, values: dict[str, Any] | None = None
) -> dict[str, Any]:
    groups = settings_groups(ProgramSettings.model_validate(program.settings))
    return {
        **program_context(request, access, program, "settings"),
        "groups": groups,
        "weekday_options": [(d, d.capitalize()) for d in WEEKDAYS],
        "values": values
        or {
            "name": program.name,
            "timezone": program.timezone,
            "block_weekday": WEEKDAYS[program.block_weekday],
        },
        "version": program.version,
        "errors": FormErrors(),
    }


@router.get(BASE + "/settings")
async def settings_page(request: Request, access: ProgramManager, program: ProgramDep) -> Any:
    """The program's name, time zone, block weekday and every rule setting."""
    return render(request, "admin_settings.html", _settings_context(request, access, program))


@router.post(BASE + "/settings")
async def save_settings(
    request: Request, access: ProgramManager, program: ProgramDep, session: SessionDep
) -> Any:
    form = await request.form()
    values = {
        "name": text(form, "name"),
        "timezone": text(form, "timezone"),
        "block_weekday": text(form, "block_weekday"),
    }
    context = _settings_context(request, access, program, values)
    posted = settings_from_form(context["groups"], form)
    errors = FormErrors()
    settings: ProgramSettings | None = None
    try:
        settings = ProgramSettings.model_validate(posted)
    except ValidationError as error:
        errors = FormErrors.from_validation(error)
    update: ProgramUpdate | None = None
    try:
        update = ProgramUpdate.model_validate({**values, "settings": settings or program.settings})
    except ValidationError as error:
        for name, message in FormErrors.from_validation(error, PROGRAM_FIELDS).fields.items():
            errors.add(name, message)
    if not errors and update is not None and settings is not None:
        try:
            await ProgramService(session).update(program.id, update, _if_match(form))
        except (ProblemError, IntegrityError) as error:
            await settle(session, error, program)
            errors = _errors(error, PROGRAM_FIELDS)
            status = _status(error)
        else:
            return see_other(program_url(program, "admin/settings"), "saved")
    else:
        status = 422
    refill(context["groups"], posted)
    context.update(errors=errors, version=text(form, "version") or program.version)
    return render(request, "admin_settings.html", context, status_code=status)
