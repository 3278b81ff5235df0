"""Admin pages: people, rotations, activities and program settings.

Each form posts plain fields; the route builds the API's own create/update schema and
calls the API's own service (PersonService, RotationService, ActivityService,
ProgramService), so every rule and every audit entry is the same as over the API.
Edits carry the row's version and are refused when someone changed the row meanwhile.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
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
PeopleManager = Annotated[Access, page_requires(Permission.PEOPLE_MANAGE)]
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


async def _save(
    service: ScopedService[Any],
    item_id: uuid.UUID | None,
    create: Callable[[], BaseModel],
    update: Callable[[], BaseModel],
    if_match: str | None,
) -> Any:
    if item_id is None:
        return await service.create(create())
    return await service.update(item_id, update(), if_match)


# --- people ------------------------------------------------------------------------------

PERSON_FIELDS = {"name", "email", "role", "pgy", "faculty_role", "weekly_clinic_cap", "active"}
PERSON_LABELS = {
    "name": "Name",
    "email": "Email",
    "role": "Role",
    "pgy": "PGY",
    "faculty_role": "Faculty role",
    "weekly_clinic_cap": "Clinic sessions a week, at most",
    "active": "Active",
}


def _person_values(form: FormData) -> dict[str, Any]:
    role = text(form, "role")
    values: dict[str, Any] = {
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
    return values


def _person_form(values: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "role_options": [(r.value, r.value.capitalize()) for r in PersonRole],
        "faculty_options": [(f.value, f.value.replace("_", " ").upper()) for f in FacultyRole],
        "values": values
        or {
            "name": "",
            "email": "",
            "role": "resident",
            "pgy": 1,
            "faculty_role": "",
            "weekly_clinic_cap": "",
            "active": True,
        },
        "labels": PERSON_LABELS,
    }


@router.get(BASE + "/people")
async def people_page(
    request: Request, access: PeopleManager, program: ProgramDep, session: SessionDep
) -> Any:
    """Residents and faculty; add a person."""
    return render(
        request,
        "admin_people.html",
        {
            **program_context(request, access, program, "people"),
            "people": await people_of(session, program),
            "errors": FormErrors(),
            **_person_form(),
        },
    )


@router.get(BASE + "/people/{person_id}")
async def person_page(
    request: Request,
    access: PeopleManager,
    program: ProgramDep,
    session: SessionDep,
    person_id: uuid.UUID,
) -> Any:
    person = await PersonService(session, program).get(person_id)
    values = {
        "name": person.name,
        "email": person.email or "",
        "role": person.role.value,
        "pgy": person.pgy or "",
        "faculty_role": person.faculty_role.value if person.faculty_role else "",
        "weekly_clinic_cap": "" if person.weekly_clinic_cap is None else person.weekly_clinic_cap,
        "active": person.active,
    }
    return render(
        request,
        "admin_person.html",
        {
            **program_context(request, access, program, "people"),
            "person": person,
            "version": person.version,
            "errors": FormErrors(),
            **_person_form(values),
        },
    )


@router.post(BASE + "/people")
async def create_person(
    request: Request, access: PeopleManager, program: ProgramDep, session: SessionDep
) -> Any:
    return await _save_person(request, access, program, session, None)


@router.post(BASE + "/people/{person_id}")
async def update_person(
    request: Request,
    access: PeopleManager,
    program: ProgramDep,
    session: SessionDep,
    person_id: uuid.UUID,
) -> Any:
    return await _save_person(request, access, program, session, person_id)


async def _save_person(
    request: Request, access: Access, program: Any, session: Any, person_id: uuid.UUID | None
) -> Any:
    form = await request.form()
    values = _person_values(form)
    try:
        await _save(
            PersonService(session, program),
            person_id,
            lambda: PersonCreate.model_validate(values),
            lambda: PersonUpdate.model_validate(values),
            _if_match(form),
        )
    except Refusal as error:
        await settle(session, error, program)
        context = {
            **program_context(request, access, program, "people"),
            "errors": _errors(error, PERSON_FIELDS),
            **_person_form({**values, "pgy": values["pgy"] or "", "email": values["email"] or ""}),
        }
        if person_id is None:
            context["people"] = await people_of(session, program)
            return render(request, "admin_people.html", context, status_code=_status(error))
        person = await PersonService(session, program).get(person_id)
        context.update(person=person, version=text(form, "version") or person.version)
        return render(request, "admin_person.html", context, status_code=_status(error))
    notice = "created" if person_id is None else "saved"
    return see_other(program_url(program, "admin/people"), notice)


# --- activities --------------------------------------------------------------------------

ACTIVITY_FIELDS = {
    "code",
    "name",
    "category",
    "am_start",
    "am_end",
    "pm_start",
    "pm_end",
    "counts_toward_hours",
    "needs_supervision",
    "provides_supervision",
    "sees_patients",
    "procedures",
    "color",
}
ACTIVITY_FLAGS = (
    ("counts_toward_hours", "Counts toward duty hours"),
    ("needs_supervision", "Needs supervision (residents seeing patients)"),
    ("provides_supervision", "Provides supervision (precepting)"),
    ("sees_patients", "Sees patients (uses a clinic room)"),
    ("procedures", "Procedures (counts as more supervision)"),
)


def _activity_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": text(form, "code"),
        "name": text(form, "name"),
        "category": text(form, "category"),
        "color": text(form, "color") or "#cccccc",
    }
    for name in ("am_start", "am_end", "pm_start", "pm_end"):
        values[name] = optional_text(form, name)
    for name, _ in ACTIVITY_FLAGS:
        values[name] = checkbox(form, name)
    return values


def _activity_form(values: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "category_options": [(c.value, c.value.replace("_", " ")) for c in ActivityCategory],
        "flags": ACTIVITY_FLAGS,
        "values": values
        or {
            "code": "",
            "name": "",
            "category": "clinical",
            "color": "#cccccc",
            "am_start": "",
            "am_end": "",
            "pm_start": "",
            "pm_end": "",
            "counts_toward_hours": True,
            "needs_supervision": False,
            "provides_supervision": False,
            "sees_patients": False,
            "procedures": False,
        },
    }


def _time_text(value: Any) -> str:
    return value.strftime("%H:%M") if value is not None else ""


@router.get(BASE + "/activities")
async def activities_page(
    request: Request, access: ProgramManager, program: ProgramDep, session: SessionDep
) -> Any:
    rows, _ = await ActivityService(session, program).page({}, limit=1000, offset=0)
    styles = await activity_styles(session, program)
    return render(
        request,
        "admin_activities.html",
        {
            **program_context(request, access, program, "activities"),
            "activities": sorted(rows, key=lambda a: a.code),
            "classes": activity_classes(styles),
            "page_styles": style_rules(styles),
            "errors": FormErrors(),
            **_activity_form(),
        },
    )


@router.get(BASE + "/activities/{item_id}")
async def activity_page(
    request: Request,
    access: ProgramManager,
    program: ProgramDep,
    session: SessionDep,
    item_id: uuid.UUID,
) -> Any:
    activity = await ActivityService(session, program).get(item_id)
    values = {
        "code": activity.code,
        "name": activity.name,
        "category": activity.category.value,
        "color": activity.color,
        **{
            name: _time_text(getattr(activity, name))
            for name in ("am_start", "am_end", "pm_start", "pm_end")
        },
        **{name: getattr(activity, name) for name, _ in ACTIVITY_FLAGS},
    }
    return render(
        request,
        "admin_activity.html",
        {
            **program_context(request, access, program, "activities"),
            "item": activity,
            "version": activity.version,
            "errors": FormErrors(),
            **_activity_form(values),
        },
    )


@router.post(BASE + "/activities")
async def create_activity(
    request: Request, access: ProgramManager, program: ProgramDep, session: SessionDep
) -> Any:
    return await _save_activity(request, access, program, session, None)


@router.post(BASE + "/activities/{item_id}")
async def update_activity(
    request: Request,
    access: ProgramManager,
    program: ProgramDep,
    session: SessionDep,
    item_id: uuid.UUID,
) -> Any:
    return await _save_activity(request, access, program, session, item_id)


async def _save_activity(
    request: Request, access: Access, program: Any, session: Any, item_id: uuid.UUID | None
) -> Any:
    form = await request.form()
    values = _activity_values(form)
    try:
        await _save(
            ActivityService(session, program),
            item_id,
            lambda: ActivityCreate.model_validate(values),
            lambda: ActivityUpdate.model_validate(values),
            _if_match(form),
        )
    except Refusal as error:
        await settle(session, error, program)
        shown = {k: ("" if v is None else v) for k, v in values.items()}
        context = {
            **program_context(request, access, program, "activities"),
            "errors": _errors(error, ACTIVITY_FIELDS),
            **_activity_form(shown),
        }
        if item_id is None:
            return await _activities_with(request, context, program, session, _status(error))
        item = await ActivityService(session, program).get(item_id)
        context.update(item=item, version=text(form, "version") or item.version)
        return render(request, "admin_activity.html", context, status_code=_status(error))
    return see_other(
        program_url(program, "admin/activities"), "created" if item_id is None else "saved"
    )


async def _activities_with(
    request: Request, context: dict[str, Any], program: Any, session: Any, status: int
) -> Any:
    rows, _ = await ActivityService(session, program).page({}, limit=1000, offset=0)
    styles = await activity_styles(session, program)
    context.update(
        activities=sorted(rows, key=lambda a: a.code),
        classes=activity_classes(styles),
        page_styles=style_rules(styles),
    )
    return render(request, "admin_activities.html", context, status_code=status)


@router.post(BASE + "/activities/{item_id}/delete")
async def delete_activity(
    request: Request,
    access: ProgramManager,
    program: ProgramDep,
    session: SessionDep,
    item_id: uuid.UUID,
) -> Any:
    form = await request.form()
    try:
        await ActivityService(session, program).delete(item_id, _if_match(form))
    except Refusal as error:
        await settle(session, error, program)
        context = {
            **program_context(request, access, program, "activities"),
            "errors": _errors(error, set()),
            **_activity_form(),
        }
        return await _activities_with(request, context, program, session, _status(error))
    return see_other(program_url(program, "admin/activities"), "deleted")


# --- rotations ---------------------------------------------------------------------------

ROTATION_FIELDS = {
    "name",
    "abbreviation",
    "weekly_pattern",
    "min_residents",
    "max_residents",
    "eligible_pgy",
    "leave_allowed",
    "protected_education_exempt",
    "heavy",
    "takes_call",
    "flex_activity",
}
ROTATION_FLAGS = (
    ("leave_allowed", "Leave may be taken on it"),
    ("protected_education_exempt", "Exempt from protected didactics"),
    ("heavy", "Heavy: spread fairly across residents (e.g. FMIT, night float)"),
    ("takes_call", "Residents on it take in-house call"),
)


def _rotation_values(form: FormData) -> dict[str, Any]:
    pattern: dict[str, dict[str, str | None]] = {}
    for day in WEEKDAYS:
        cells = {s: optional_text(form, f"weekly_pattern.{day}.{s}") for s in ("AM", "PM")}
        if any(cells.values()):
            pattern[day] = cells
    values: dict[str, Any] = {
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


async def _rotation_form(
    session: Any, program: Any, values: dict[str, Any] | None = None
) -> dict[str, Any]:
    codes = sorted(await activity_styles(session, program))
    return {
        "weekdays": WEEKDAYS,
        "codes": codes,
        "flags": ROTATION_FLAGS,
        "pgy_options": [(n, f"PGY-{n}") for n in range(1, 9)],
        "values": values
        or {
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
        },
    }


@router.get(BASE + "/rotations")
async def rotations_page(
    request: Request, access: ProgramManager, program: ProgramDep, session: SessionDep
) -> Any:
    rows, _ = await RotationService(session, program).page({}, limit=1000, offset=0)
    return render(
        request,
        "admin_rotations.html",
        {
            **program_context(request, access, program, "rotations"),
            "rotations": sorted(rows, key=lambda r: r.name.lower()),
            "errors": FormErrors(),
            **await _rotation_form(session, program),
        },
    )


@router.get(BASE + "/rotations/{item_id}")
async def rotation_page(
    request: Request,
    access: ProgramManager,
    program: ProgramDep,
    session: SessionDep,
    item_id: uuid.UUID,
) -> Any:
    rotation = await RotationService(session, program).get(item_id)
    values = {
        "name": rotation.name,
        "abbreviation": rotation.abbreviation,
        "weekly_pattern": rotation.weekly_pattern or {},
        "min_residents": rotation.min_residents,
        "max_residents": rotation.max_residents,
        "eligible_pgy": list(rotation.eligible_pgy),
        "flex_activity": rotation.flex_activity or "",
        **{name: getattr(rotation, name) for name, _ in ROTATION_FLAGS},
    }
    return render(
        request,
        "admin_rotation.html",
        {
            **program_context(request, access, program, "rotations"),
            "item": rotation,
            "version": rotation.version,
            "errors": FormErrors(),
            **await _rotation_form(session, program, values),
        },
    )


@router.post(BASE + "/rotations")
async def create_rotation(
    request: Request, access: ProgramManager, program: ProgramDep, session: SessionDep
) -> Any:
    return await _save_rotation(request, access, program, session, None)


@router.post(BASE + "/rotations/{item_id}")
async def update_rotation(
    request: Request,
    access: ProgramManager,
    program: ProgramDep,
    session: SessionDep,
    item_id: uuid.UUID,
) -> Any:
    return await _save_rotation(request, access, program, session, item_id)


async def _save_rotation(
    request: Request, access: Access, program: Any, session: Any, item_id: uuid.UUID | None
) -> Any:
    form = await request.form()
    values = _rotation_values(form)
    try:
        await _save(
            RotationService(session, program),
            item_id,
            lambda: RotationCreate.model_validate(values),
            lambda: RotationUpdate.model_validate(values),
            _if_match(form),
        )
    except Refusal as error:
        await settle(session, error, program)
        shown = {
            "min_residents": "",
            "max_residents": "",
            **values,
            "flex_activity": values.get("flex_activity") or "",
        }
        context = {
            **program_context(request, access, program, "rotations"),
            "errors": _errors(error, ROTATION_FIELDS),
            **await _rotation_form(session, program, shown),
        }
        if item_id is None:
            rows, _ = await RotationService(session, program).page({}, limit=1000, offset=0)
            context["rotations"] = sorted(rows, key=lambda r: r.name.lower())
            return render(request, "admin_rotations.html", context, status_code=_status(error))
        item = await RotationService(session, program).get(item_id)
        context.update(item=item, version=text(form, "version") or item.version)
        return render(request, "admin_rotation.html", context, status_code=_status(error))
    return see_other(
        program_url(program, "admin/rotations"), "created" if item_id is None else "saved"
    )


@router.post(BASE + "/rotations/{item_id}/delete")
async def delete_rotation(
    request: Request,
    access: ProgramManager,
    program: ProgramDep,
    session: SessionDep,
    item_id: uuid.UUID,
) -> Any:
    form = await request.form()
    try:
        await RotationService(session, program).delete(item_id, _if_match(form))
    except Refusal as error:
        await settle(session, error, program)
        rows, _ = await RotationService(session, program).page({}, limit=1000, offset=0)
        context = {
            **program_context(request, access, program, "rotations"),
            "rotations": sorted(rows, key=lambda r: r.name.lower()),
            "errors": _errors(error, set()),
            **await _rotation_form(session, program),
        }
        return render(request, "admin_rotations.html", context, status_code=_status(error))
    return see_other(program_url(program, "admin/rotations"), "deleted")


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
