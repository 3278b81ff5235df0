"""Routes for leave decisions and coverage: approve or deny a request, list the gaps and
their candidates, pick one (a one-row change, validated like a swap).

Coordinators and chiefs decide leave (LEAVE_APPROVE); residents and faculty file and
change their own requests through `/absences` (absences/router.py).
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response, status
from fastapi.responses import JSONResponse

from residency.absences.schemas import AbsenceRead
from residency.api.deps import ProgramDep, SessionDep
from residency.api.etags import set_etag
from residency.auth.access import Access, requires
from residency.auth.permissions import Permission
from residency.idempotency.service import Idempotency, Replay
from residency.leave.schemas import (
    Coverage,
    CoveragePick,
    CoverageResult,
    LeaveApproval,
    LeaveDecision,
    LeaveDenial,
)
from residency.leave.service import LeaveService
from residency.programs.models import Program

router = APIRouter(tags=["leave and coverage"])
ABSENCE = "/programs/{program_id}/absences/{absence_id}"
Approver = Annotated[Access, requires(Permission.LEAVE_APPROVE)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def service_for(request: Request, session: Any, program: Program, access: Access) -> LeaveService:
    return LeaveService(
        session,
        program,
        now=request.app.state.clock.now(),
        user_id=access.principal.user_id if access.principal else None,
    )


@router.post(ABSENCE + "/approve", response_model=LeaveDecision)
async def approve_leave(
    access: Approver,
    absence_id: uuid.UUID,
    request: Request,
    response: Response,
    program: ProgramDep,
    session: SessionDep,
    body: LeaveApproval | None = None,
    if_match: IfMatch = None,
) -> Any:
    """Approve a leave request: its slots become LV (locked), conflicting rows are
    released; the answer lists the coverage gaps with ranked candidates, and the away
    days. 409 `leave_eligibility` on a rotation without leave unless `override_reason`."""
    decision = await service_for(request, session, program, access).approve(
        absence_id, body.override_reason if body else None, if_match
    )
    set_etag(response, decision.absence.version)
    return decision


@router.post(ABSENCE + "/deny", response_model=AbsenceRead)
async def deny_leave(
    access: Approver,
    absence_id: uuid.UUID,
    request: Request,
    response: Response,
    program: ProgramDep,
    session: SessionDep,
    body: LeaveDenial | None = None,
    if_match: IfMatch = None,
) -> Any:
    absence = await service_for(request, session, program, access).deny(
        absence_id, body.reason if body else None, if_match
    )
    set_etag(response, absence.version)
    return AbsenceRead.model_validate(absence)


@router.get(ABSENCE + "/coverage", response_model=Coverage)
async def leave_coverage(
    access: Approver,
    absence_id: uuid.UUID,
    request: Request,
    program: ProgramDep,
    session: SessionDep,
) -> Any:
    """The coverage gaps of a leave request (those its approval would create) or of an
    approved leave (those still open), each with ranked candidates."""
    return await service_for(request, session, program, access).coverage(absence_id)


@router.post(
    "/programs/{program_id}/coverage",
    response_model=CoverageResult,
    status_code=status.HTTP_201_CREATED,
)
async def pick_coverage(
    access: Approver,
    payload: CoveragePick,
    request: Request,
    program: ProgramDep,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Put a candidate in a gap: one new row (precepting, a call, an FMIT week),
    validated like a swap (409 with every finding when it would add a violation).
    Honours Idempotency-Key."""
    idempotency = Idempotency(session, program.id, idempotency_key)
    result = await service_for(request, session, program, access).pick(payload, idempotency)
    if isinstance(result, Replay):
        return JSONResponse(
            result.body, status_code=result.status_code, headers={"Idempotent-Replayed": "true"}
        )
    return result
