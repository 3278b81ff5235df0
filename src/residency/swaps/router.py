"""Routes for swaps: history, request, validate, accept or claim, approve, execute, roll back.

Residents and faculty (OWN scope) request, validate, accept, claim, decline and cancel
their own swaps; coordinators and chiefs approve, deny, execute and roll back.
`execute` and `rollback` honour `Idempotency-Key`: a replay answers the first result
(with `Idempotent-Replayed: true`) and changes nothing.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from fastapi.responses import JSONResponse

from residency.api.deps import ProgramDep, SessionDep
from residency.api.etags import set_etag
from residency.api.pagination import Page, PageParams, page_of, page_params
from residency.auth.access import Access, requires
from residency.auth.permissions import Permission
from residency.idempotency.service import Idempotency, Replay
from residency.programs.models import Program
from residency.swaps.schemas import (
    Claim,
    PersonSwapFilters,
    Reason,
    SwapCreate,
    SwapFilters,
    SwapProposal,
    SwapRead,
    Validation,
)
from residency.swaps.service import SwapService

router = APIRouter(tags=["swaps"])
SWAPS = "/programs/{program_id}/swaps"
ONE = SWAPS + "/{swap_id}"
Reader = Annotated[Access, requires(Permission.SWAPS_READ)]
Requester = Annotated[Access, requires(Permission.SWAPS_REQUEST)]
Approver = Annotated[Access, requires(Permission.SWAPS_APPROVE)]
PageDep = Annotated[PageParams, Depends(page_params)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def service_for(request: Request, session: Any, program: Program, access: Access) -> SwapService:
    return SwapService(
        session,
        program,
        now=request.app.state.clock.now(),
        user_id=access.principal.user_id if access.principal else None,
        owner=access.restriction(),
    )


async def _requester_service(
    access: Requester, request: Request, program: ProgramDep, session: SessionDep
) -> SwapService:
    return service_for(request, session, program, access)


async def _approver_service(
    access: Approver, request: Request, program: ProgramDep, session: SessionDep
) -> SwapService:
    return service_for(request, session, program, access)


# The swap service acting for the signed-in user, with the route's permission declared.
RequesterService = Annotated[SwapService, Depends(_requester_service)]
ApproverService = Annotated[SwapService, Depends(_approver_service)]


def read(swap: Any, response: Response | None = None) -> SwapRead:
    if response is not None:
        set_etag(response, swap.version)
    return SwapRead.model_validate(swap)


def replayed(replay: Replay) -> JSONResponse:
    return JSONResponse(
        replay.body,
        status_code=replay.status_code,
        headers={"Idempotent-Replayed": "true", "ETag": f'"{replay.body.get("version")}"'},
    )


@router.get(SWAPS, response_model=Page[SwapRead], summary="Swap history of the program")
async def list_swaps(
    access: Reader,
    request: Request,
    program: ProgramDep,
    session: SessionDep,
    filters: Annotated[SwapFilters, Query()],
    page: PageDep,
) -> Any:
    """Newest first; filters: status, kind, mode, person (either side), dates touched."""
    rows, total = await service_for(request, session, program, access).history(
        filters.model_dump(), limit=page.limit, offset=page.offset
    )
    return page_of(SwapRead, rows, total, page)


@router.get(
    "/programs/{program_id}/people/{person_id}/swaps",
    response_model=Page[SwapRead],
    summary="One person's swap history",
)
async def person_swaps(
    access: Reader,
    person_id: uuid.UUID,
    request: Request,
    program: ProgramDep,
    session: SessionDep,
    filters: Annotated[PersonSwapFilters, Query()],
    page: PageDep,
) -> Any:
    rows, total = await service_for(request, session, program, access).history(
        filters.model_dump(), limit=page.limit, offset=page.offset, person_id=person_id
    )
    return page_of(SwapRead, rows, total, page)


@router.post(SWAPS, response_model=SwapRead, status_code=status.HTTP_201_CREATED)
async def create_swap(
    access: Requester,
    payload: SwapCreate,
    request: Request,
    response: Response,
    program: ProgramDep,
    session: SessionDep,
) -> Any:
    """Request a swap (a directed request, or an open offer)."""
    swap = await service_for(request, session, program, access).create(payload)
    response.headers["Location"] = f"/api/v1/programs/{program.id}/swaps/{swap.id}"
    return read(swap, response)


@router.post(SWAPS + "/validate", response_model=Validation)
async def validate_proposal(
    access: Requester,
    payload: SwapProposal,
    request: Request,
    program: ProgramDep,
    session: SessionDep,
) -> Any:
    """Judge a proposed swap: every finding for the people and dates it touches, whether
    it is executable, and the rows it would change. Writes nothing."""
    return await service_for(request, session, program, access).validate_proposal(payload)


@router.get(ONE, response_model=SwapRead)
async def read_swap(
    access: Reader,
    swap_id: uuid.UUID,
    request: Request,
    response: Response,
    program: ProgramDep,
    session: SessionDep,
) -> Any:
    return read(await service_for(request, session, program, access).get(swap_id), response)


@router.post(ONE + "/validate", response_model=Validation)
async def validate_swap(
    access: Requester,
    swap_id: uuid.UUID,
    request: Request,
    program: ProgramDep,
    session: SessionDep,
    claim: Claim | None = None,
) -> Any:
    """Judge a stored swap as it would execute now (an open offer: for `person_id`)."""
    return await service_for(request, session, program, access).validate(
        swap_id, claim.person_id if claim else None
    )


@router.post(ONE + "/accept", response_model=SwapRead)
async def accept_swap(swap_id: uuid.UUID, service: RequesterService, response: Response) -> Any:
    """The counterparty accepts; executes at once when the program needs no approval."""
    return read(await service.accept(swap_id), response)


@router.post(ONE + "/claim", response_model=SwapRead)
async def claim_swap(
    swap_id: uuid.UUID, service: RequesterService, response: Response, claim: Claim | None = None
) -> Any:
    """Claim an open offer (for yourself; coordinators name the person)."""
    return read(await service.claim(swap_id, claim.person_id if claim else None), response)


@router.post(ONE + "/decline", response_model=SwapRead)
async def decline_swap(swap_id: uuid.UUID, service: RequesterService, response: Response) -> Any:
    return read(await service.decline(swap_id), response)


@router.post(ONE + "/cancel", response_model=SwapRead)
async def cancel_swap(
    swap_id: uuid.UUID, service: RequesterService, response: Response, body: Reason | None = None
) -> Any:
    return read(await service.cancel(swap_id, body.reason if body else None), response)


@router.post(ONE + "/approve", response_model=SwapRead)
async def approve_swap(
    swap_id: uuid.UUID, service: ApproverService, response: Response, body: Reason | None = None
) -> Any:
    """Approve an accepted swap (a reason here covers the freeze window)."""
    return read(await service.approve(swap_id, body.reason if body else None), response)


@router.post(ONE + "/deny", response_model=SwapRead)
async def deny_swap(
    swap_id: uuid.UUID, service: ApproverService, response: Response, body: Reason | None = None
) -> Any:
    return read(await service.deny(swap_id, body.reason if body else None), response)


@router.post(ONE + "/execute", response_model=SwapRead)
async def execute_swap(
    access: Approver,
    swap_id: uuid.UUID,
    request: Request,
    response: Response,
    program: ProgramDep,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Execute: lock, re-validate, write the rows and their audit entries, atomically.
    409 with every finding when the swap would break a rule. Honours Idempotency-Key."""
    service = service_for(request, session, program, access)
    idempotency = Idempotency(session, program.id, idempotency_key)
    swap = await service.lock_for_execution(swap_id)
    replay = await idempotency.replay("swap.execute", str(swap.id))
    if replay is not None:
        return replayed(replay)
    swap = await service.execute(swap)
    body = read(swap, response)
    await idempotency.remember("swap.execute", str(swap.id), 200, body.model_dump(mode="json"))
    return body


@router.post(ONE + "/rollback", response_model=SwapRead)
async def rollback_swap(
    access: Approver,
    swap_id: uuid.UUID,
    request: Request,
    response: Response,
    program: ProgramDep,
    session: SessionDep,
    body: Reason | None = None,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Undo an executed swap within the program's rollback window; 409 naming the later
    change when a row it changed was touched since. Honours Idempotency-Key."""
    service = service_for(request, session, program, access)
    idempotency = Idempotency(session, program.id, idempotency_key)
    swap = await service.lock_for_execution(swap_id)
    replay = await idempotency.replay("swap.rollback", str(swap.id))
    if replay is not None:
        return replayed(replay)
    swap = await service.rollback(swap, body.reason if body else None)
    out = read(swap, response)
    await idempotency.remember("swap.rollback", str(swap.id), 200, out.model_dump(mode="json"))
    return out
