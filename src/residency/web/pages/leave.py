"""Leave: request it, approve or deny it, and cover the gaps it leaves.

Residents and faculty file and cancel their own requests through the absence service
(absences/service.py, the API's `/absences`); coordinators and chiefs decide them
through the leave service (leave/service.py): approving turns the person's slots into
locked leave, releases what conflicted, and lists the coverage gaps with ranked
candidates; picking a candidate is a one-row change validated like a swap.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import ValidationError

from residency.absences.models import AbsenceKind, AbsenceStatus
from residency.absences.schemas import AbsenceCreate, AbsenceUpdate
from residency.absences.service import AbsenceService
from residency.api.deps import ProgramDep, SessionDep
from residency.auth.access import Access
from residency.auth.permissions import Permission
from residency.errors import ProblemError
from residency.idempotency.service import Idempotency
from residency.leave.schemas import CoveragePick
from residency.leave.service import LeaveService
from residency.web.access import page_requires
from residency.web.context import people_of, uuid_param
from residency.web.forms import FormErrors, optional_text, settle, text
from residency.web.render import may, program_context, program_url, render, see_other

router = APIRouter(include_in_schema=False)
Reader = Annotated[Access, page_requires(Permission.REQUESTS_READ)]
Writer = Annotated[Access, page_requires(Permission.REQUESTS_WRITE)]
Approver = Annotated[Access, page_requires(Permission.LEAVE_APPROVE)]
LEAVE = "/ui/programs/{program_id}/leave"
ONE = LEAVE + "/{absence_id}"
FIELDS = {"person_id", "kind", "start_date", "end_date", "reason"}
LABELS = {
    "person_id": "Who",
    "kind": "Kind of leave",
    "start_date": "First day",
    "end_date": "Last day",
    "reason": "Reason",
    "override_reason": "Override reason",
}
GAP_NAMES = {
    "supervision": "Clinic short of a preceptor",
    "faculty_call": "Faculty call night uncovered",
    "resident_call": "Resident call night uncovered",
    "fmit": "FMIT days uncovered",
}


def leave_service(request: Request, session: Any, program: Any, access: Access) -> LeaveService:
    return LeaveService(
        session,
        program,
        now=request.app.state.clock.now(),
        user_id=access.principal.user_id if access.principal else None,
    )


async def _leave_context(
    request: Request,
    access: Access,
    program: Any,
    session: Any,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
) -> dict[str, Any]:
    owner = access.restriction()
    rows, _ = await AbsenceService(session, program, owner=owner).page({}, limit=500, offset=0)
    people = list(await people_of(session, program))
    names = {p.id: p.name for p in people}
    approver = may(access, Permission.LEAVE_APPROVE)
    ordered = sorted(rows, key=lambda a: (a.start_date, names.get(a.person_id, "")), reverse=True)
    return {
        **program_context(request, access, program, "leave"),
        "pending": [a for a in ordered if a.status is AbsenceStatus.REQUESTED],
        "decided": [a for a in ordered if a.status is not AbsenceStatus.REQUESTED],
        "names": names,
        "approver": approver,
        "own": owner is not None,
        "may_request": may(access, Permission.REQUESTS_WRITE)
        and (owner is not None or bool(people)),
        "people_options": [(str(p.id), p.name) for p in people],
        "kind_options": [(k.value, k.value.capitalize()) for k in AbsenceKind],
        "values": values
        or {
            "person_id": str(access.person_id or ""),
            "kind": "vacation",
            "start_date": "",
            "end_date": "",
            "reason": "",
        },
        "errors": errors or FormErrors(),
        "labels": LABELS,
    }


@router.get(LEAVE)
async def leave_page(
    request: Request, access: Reader, program: ProgramDep, session: SessionDep
) -> Any:
    """Request leave; your requests (or, for coordinators, everyone's) and their status."""
    return render(request, "leave.html", await _leave_context(request, access, program, session))


@router.post(LEAVE)
async def request_leave(
    request: Request, access: Writer, program: ProgramDep, session: SessionDep
) -> Any:
    form = await request.form()
    owner = access.restriction()
    values = {
        "person_id": str(owner) if owner else text(form, "person_id"),
        "kind": text(form, "kind"),
        "start_date": text(form, "start_date"),
        "end_date": text(form, "end_date"),
        "reason": text(form, "reason"),
    }
    try:
        payload = AbsenceCreate.model_validate(
            {**values, "reason": values["reason"] or None, "status": "requested"}
        )
        await AbsenceService(session, program, owner=owner).create(payload)
    except (ValidationError, ProblemError) as error:
        await settle(session, error, program)
        if isinstance(error, ValidationError):
            errors = FormErrors.from_validation(error, FIELDS)
            if not errors.fields and errors.general:  # "end_date must be on or after ..."
                errors.fields["end_date"] = errors.general.pop(0)
        else:
            errors = FormErrors.from_problem(error, FIELDS)
        context = await _leave_context(request, access, program, session, values, errors)
        status = error.status if isinstance(error, ProblemError) else 422
        return render(request, "leave.html", context, status_code=status)
    return see_other(program_url(program, "leave"), "leave-requested")


@router.post(ONE + "/cancel")
async def cancel_leave(
    request: Request,
    access: Writer,
    program: ProgramDep,
    session: SessionDep,
    absence_id: uuid.UUID,
) -> Any:
    """Withdraw a leave request (its owner, or a coordinator)."""
    form = await request.form()
    version = text(form, "version")
    service = AbsenceService(session, program, owner=access.restriction())
    try:
        await service.update(
            absence_id,
            AbsenceUpdate(status=AbsenceStatus.CANCELLED),
            f'"{version}"' if version.isdigit() else None,
        )
    except ProblemError as error:
        await settle(session, error, program)
        context = await _leave_context(request, access, program, session)
        context["errors"] = FormErrors.from_problem(error)
        return render(request, "leave.html", context, status_code=error.status)
    return see_other(program_url(program, "leave"), "leave-cancelled")


async def _review_context(
    request: Request, access: Access, program: Any, session: Any, absence_id: uuid.UUID
) -> dict[str, Any]:
    coverage = await leave_service(request, session, program, access).coverage(absence_id)
    people = list(await people_of(session, program))
    return {
        **program_context(request, access, program, "leave"),
        "coverage": coverage,
        "absence": coverage.absence,
        "person_name": next(
            (p.name for p in people if p.id == coverage.absence.person_id), "someone"
        ),
        "gap_names": GAP_NAMES,
        "errors": FormErrors(),
        "idempotency_key": secrets.token_urlsafe(16),
        "override_reason": "",
    }


@router.get(ONE)
async def review_leave(
    request: Request,
    access: Approver,
    program: ProgramDep,
    session: SessionDep,
    absence_id: uuid.UUID,
) -> Any:
    """A leave request with the coverage gaps it leaves (or left) and their candidates."""
    context = await _review_context(request, access, program, session, absence_id)
    return render(request, "leave_review.html", context)


async def _refused(
    request: Request,
    access: Access,
    program: Any,
    session: Any,
    absence_id: uuid.UUID,
    error: Exception,
    known: set[str] | None = None,
) -> Any:
    await settle(session, error, program)
    context = await _review_context(request, access, program, session, absence_id)
    if isinstance(error, ValidationError):
        context["errors"] = FormErrors.from_validation(error, known)
        status = 422
    else:
        assert isinstance(error, ProblemError)
        context["errors"] = FormErrors.from_problem(error, known)
        status = error.status
    return render(request, "leave_review.html", context, status_code=status)


@router.post(ONE + "/approve")
async def approve_leave(
    request: Request,
    access: Approver,
    program: ProgramDep,
    session: SessionDep,
    absence_id: uuid.UUID,
) -> Any:
    """Approve: the slots become locked leave; the page then lists the open gaps."""
    form = await request.form()
    version = text(form, "version")
    try:
        await leave_service(request, session, program, access).approve(
            absence_id,
            optional_text(form, "override_reason"),
            f'"{version}"' if version.isdigit() else None,
        )
    except ProblemError as error:
        response = await _refused(request, access, program, session, absence_id, error)
        if getattr(error, "rule", "") == "leave_eligibility":
            response = await _refused(
                request, access, program, session, absence_id, error, {"override_reason"}
            )
        return response
    return see_other(program_url(program, "leave", str(absence_id)), "leave-approved")


@router.post(ONE + "/deny")
async def deny_leave(
    request: Request,
    access: Approver,
    program: ProgramDep,
    session: SessionDep,
    absence_id: uuid.UUID,
) -> Any:
    form = await request.form()
    version = text(form, "version")
    try:
        await leave_service(request, session, program, access).deny(
            absence_id,
            optional_text(form, "reason"),
            f'"{version}"' if version.isdigit() else None,
        )
    except ProblemError as error:
        return await _refused(request, access, program, session, absence_id, error)
    return see_other(program_url(program, "leave"), "leave-denied")


@router.post(ONE + "/cover")
async def cover_gap(
    request: Request,
    access: Approver,
    program: ProgramDep,
    session: SessionDep,
    absence_id: uuid.UUID,
) -> Any:
    """Put a candidate in a gap (validated like a swap; refused with every finding)."""
    form = await request.form()
    try:
        pick = CoveragePick.model_validate(
            {
                "gap": text(form, "gap"),
                "date": text(form, "date"),
                "session": text(form, "session") or None,
                "person_id": str(uuid_param(text(form, "person_id")) or ""),
                "reason": optional_text(form, "reason"),
            }
        )
        idempotency = Idempotency(session, program.id, text(form, "idempotency_key") or None)
        await leave_service(request, session, program, access).pick(pick, idempotency)
    except (ValidationError, ProblemError) as error:
        return await _refused(request, access, program, session, absence_id, error)
    return see_other(program_url(program, "leave", str(absence_id)), "coverage-assigned")
