"""The swaps centre: my requests, offers I can claim, approvals, history and rollback.

Every step calls the swap service the API uses (swaps/service.py): a request is checked
(`validate_proposal`) and its findings shown before it is sent; a stored swap shows its
check (`validate`) before anyone accepts, claims or approves it. A coordinator's
approval carries the swap out in the same transaction (approve, then execute), so the
grid shows the new owner at once; a swap that would break a rule is refused with every
finding listed.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.datastructures import FormData

from residency.api.deps import ProgramDep, SessionDep
from residency.auth.access import Access
from residency.auth.permissions import Permission
from residency.errors import InvalidInput, ProblemError
from residency.idempotency.service import Idempotency
from residency.swaps.kinds import OPEN_STATUSES, SwapKind, SwapMode, SwapStatus
from residency.swaps.models import Swap
from residency.swaps.schemas import SwapCreate, SwapProposal, Validation
from residency.swaps.service import SwapService
from residency.web.access import page_requires
from residency.web.context import people_of
from residency.web.forms import FormErrors, optional_text, settle, text
from residency.web.render import may, program_context, program_url, render, see_other

router = APIRouter(include_in_schema=False)
Reader = Annotated[Access, page_requires(Permission.SWAPS_READ)]
Requester = Annotated[Access, page_requires(Permission.SWAPS_REQUEST)]
Approver = Annotated[Access, page_requires(Permission.SWAPS_APPROVE)]
SWAPS = "/ui/programs/{program_id}/swaps"
ONE = SWAPS + "/{swap_id}"
KIND_NAMES = {
    SwapKind.FMIT_WEEK: "FMIT week",
    SwapKind.CALL_NIGHT: "call night",
    SwapKind.CLINIC_SESSION: "clinic session",
}
KIND_LABELS = {
    SwapKind.FMIT_WEEK: "FMIT week",
    SwapKind.CALL_NIGHT: "Call night",
    SwapKind.CLINIC_SESSION: "Clinic session",
}
SHIFT_NAMES = {
    "fmit_week": "FMIT week",
    "faculty_call": "faculty call",
    "call": "in-house call",
    "night_float": "night float",
}
STATUS_NAMES = {
    SwapStatus.REQUESTED: "requested",
    SwapStatus.ACCEPTED: "accepted, waiting for approval",
    SwapStatus.APPROVED: "approved",
    SwapStatus.EXECUTED: "carried out",
    SwapStatus.DECLINED: "declined",
    SwapStatus.DENIED: "denied",
    SwapStatus.CANCELLED: "cancelled",
    SwapStatus.EXPIRED: "expired",
    SwapStatus.ROLLED_BACK: "rolled back",
}
FORM_FIELDS = {
    "kind",
    "mode",
    "requester_id",
    "counterparty_id",
    "offered.date",
    "offered.session",
    "wanted.date",
    "wanted.session",
    "reason",
    "note",
}
FORM_LABELS = {
    "kind": "What to swap",
    "mode": "How",
    "requester_id": "Requested by",
    "counterparty_id": "With",
    "offered.date": "You give: date",
    "offered.session": "You give: session",
    "wanted.date": "You take: date",
    "wanted.session": "You take: session",
    "reason": "Reason",
    "note": "Note",
    "offered": "You give",
    "wanted": "You take",
    "person_id": "Person",
}


def service_for(request: Request, session: Any, program: Any, access: Access) -> SwapService:
    return SwapService(
        session,
        program,
        now=request.app.state.clock.now(),
        user_id=access.principal.user_id if access.principal else None,
        owner=access.restriction(),
    )


def _day(value: date | None) -> str:
    return value.strftime("%a %d %b %Y") if value else ""


def unit_text(kind: SwapKind, day: date | None, session: Any) -> str:
    if day is None:
        return "nothing (a give-away)"
    if kind is SwapKind.FMIT_WEEK:
        return f"the FMIT week from {_day(day)}"
    if kind is SwapKind.CALL_NIGHT:
        return f"the call night of {_day(day)}"
    return f"the clinic session of {_day(day)} {session.value if session else ''}".strip()


@dataclass(frozen=True, slots=True)
class SwapRow:
    swap: Swap
    kind: str
    status: str
    requester: str
    counterparty: str
    offered: str
    wanted: str
    summary: str


def swap_row(swap: Swap, names: dict[str, str]) -> SwapRow:
    requester = names.get(str(swap.requester_id), "someone")
    counterparty = (
        names.get(str(swap.counterparty_id), "someone")
        if swap.counterparty_id
        else "anyone eligible (open offer)"
    )
    offered = unit_text(swap.kind, swap.offered_date, swap.offered_session)
    wanted = unit_text(swap.kind, swap.wanted_date, swap.wanted_session)
    summary = f"{requester} gives {offered}" + (f" for {wanted}" if swap.wanted_date else " away")
    return SwapRow(
        swap,
        KIND_NAMES[swap.kind],
        STATUS_NAMES[swap.status],
        requester,
        counterparty,
        offered,
        wanted,
        summary,
    )


async def _names(session: Any, program: Any) -> tuple[list[Any], dict[str, str]]:
    people = list(await people_of(session, program))
    return people, {str(p.id): p.name for p in people}


@router.get(SWAPS)
async def swaps_page(
    request: Request, access: Reader, program: ProgramDep, session: SessionDep
) -> Any:
    """My requests, requests waiting for me, open offers, approvals, and history."""
    service = service_for(request, session, program, access)
    rows, _ = await service.history({}, limit=300, offset=0)
    _, names = await _names(session, program)
    me = access.person_id
    manager = may(access, Permission.SWAPS_APPROVE)
    table = [swap_row(s, names) for s in rows]
    is_open = [r for r in table if r.swap.status in OPEN_STATUSES]
    sections = {
        "mine": [r for r in is_open if me and r.swap.requester_id == me],
        "for_me": [
            r
            for r in is_open
            if me
            and r.swap.counterparty_id == me
            and r.swap.mode is SwapMode.DIRECTED
            and r.swap.status is SwapStatus.REQUESTED
        ],
        "offers": [
            r
            for r in is_open
            if r.swap.mode is SwapMode.OFFER
            and r.swap.status is SwapStatus.REQUESTED
            and r.swap.requester_id != me
        ],
        "approvals": [r for r in is_open if manager and r.swap.status is SwapStatus.ACCEPTED],
        "open": [r for r in is_open if manager],
        "history": [r for r in table if r.swap.status not in OPEN_STATUSES],
    }
    return render(
        request,
        "swaps.html",
        {
            **program_context(request, access, program, "swaps"),
            "sections": sections,
            "me": me,
            "may_request": may(access, Permission.SWAPS_REQUEST) and (me is not None or manager),
            "manager": manager,
        },
    )


def _form_values(form: FormData | None, access: Access) -> dict[str, Any]:
    source: Any = form or {}
    return {
        "kind": text(source, "kind") or "fmit_week",
        "mode": text(source, "mode") or "directed",
        "requester_id": text(source, "requester_id") or str(access.person_id or ""),
        "counterparty_id": text(source, "counterparty_id"),
        "offered.date": text(source, "offered.date"),
        "offered.session": text(source, "offered.session"),
        "wanted.date": text(source, "wanted.date"),
        "wanted.session": text(source, "wanted.session"),
        "reason": text(source, "reason"),
        "note": text(source, "note"),
    }


def _payload(values: dict[str, Any], access: Access) -> dict[str, Any]:
    def unit(prefix: str) -> dict[str, Any] | None:
        day = values[f"{prefix}.date"]
        if not day:
            return None if prefix == "wanted" else {"date": ""}
        return {"date": day, "session": values[f"{prefix}.session"] or None}

    requester = values["requester_id"] if access.restriction() is None else access.person_id
    return {
        "kind": values["kind"],
        "mode": values["mode"],
        "requester_id": requester or "",
        "counterparty_id": values["counterparty_id"] or None,
        "offered": unit("offered"),
        "wanted": unit("wanted"),
        "reason": values["reason"] or None,
        "note": values["note"] or None,
    }


async def _form_context(
    request: Request,
    access: Access,
    program: Any,
    session: Any,
    values: dict[str, Any],
    errors: FormErrors | None = None,
    validation: Validation | None = None,
) -> dict[str, Any]:
    people, names = await _names(session, program)
    return {
        **program_context(request, access, program, "swaps"),
        "values": values,
        "errors": errors or FormErrors(),
        "labels": FORM_LABELS,
        "validation": _validation_view(validation, names) if validation else None,
        "people_options": [
            (str(p.id), f"{p.name} ({'PGY-' + str(p.pgy) if p.pgy else 'faculty'})") for p in people
        ],
        "kind_options": [(k.value, KIND_LABELS[k]) for k in SwapKind],
        "mode_options": [
            ("directed", "A request to one person"),
            ("offer", "An open offer anyone eligible can claim"),
        ],
        "choose_requester": access.restriction() is None,
        "me_name": names.get(str(access.person_id), "") if access.person_id else "",
    }


@dataclass(frozen=True, slots=True)
class ChangeView:
    what: str
    day: date
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ValidationView:
    executable: bool
    problems: list[str]
    introduced: list[str]
    other: list[str]
    changes: list[ChangeView]


def _validation_view(validation: Validation, names: dict[str, str]) -> ValidationView:
    def who(person: str | None) -> str:
        return names.get(person or "", "nobody") if person else "nobody"

    changes = []
    for change in validation.changes:
        if change.table == "assignments":
            what = f"{change.session.value if change.session else ''} slot " + (
                change.activity_after or change.activity_before or ""
            )
        else:
            what = SHIFT_NAMES.get(change.kind or "", (change.kind or "shift").replace("_", " "))
        changes.append(
            ChangeView(
                what.strip(), change.date, who(change.person_before), who(change.person_after)
            )
        )
    return ValidationView(
        executable=validation.executable,
        problems=[p.message for p in validation.problems],
        introduced=[v.message for v in validation.violations if v.introduced],
        other=[
            v.message
            for v in validation.violations
            if not v.introduced and v.severity == "violation"
        ][:20],
        changes=sorted(changes, key=lambda c: (c.day, c.what)),
    )


@router.get(SWAPS + "/new")
async def new_swap_page(
    request: Request, access: Requester, program: ProgramDep, session: SessionDep
) -> Any:
    values = _form_values(None, access)
    for name in ("kind", "offered.date", "offered.session", "counterparty_id"):
        raw = request.query_params.get(name)
        if raw:
            values[name] = raw
    return render(
        request, "swap_new.html", await _form_context(request, access, program, session, values)
    )


def _schema_errors(error: Exception) -> FormErrors:
    if isinstance(error, ValidationError):
        found = FormErrors.from_validation(error, FORM_FIELDS)
        renamed = FormErrors(general=found.general)
        for name, message in found.fields.items():
            renamed.fields[name if name in FORM_FIELDS else name.split(".")[0]] = message
        return renamed
    assert isinstance(error, ProblemError)
    found = FormErrors.from_problem(error, FORM_FIELDS | {"offered", "wanted"})
    field = error.extra().get("field") if hasattr(error, "extra") else None
    if isinstance(field, str) and not found.fields and found.general:
        found.fields[f"{field}.date" if field in ("offered", "wanted") else field] = (
            found.general.pop(0)
        )
    return found


@router.post(SWAPS + "/check")
async def check_swap(
    request: Request, access: Requester, program: ProgramDep, session: SessionDep
) -> Any:
    """Check a proposed swap before sending it: every finding and every row it changes."""
    form = await request.form()
    values = _form_values(form, access)
    validation = None
    errors = FormErrors()
    status = 200
    try:
        payload = _payload(values, access)
        if payload["mode"] == "offer" or not payload["counterparty_id"]:
            SwapCreate.model_validate(payload)  # the shape, at least
            raise InvalidInput.field(
                "counterparty_id",
                "an open offer is checked when someone claims it: send it, or name the person",
            )
        proposal = SwapProposal.model_validate(
            {k: v for k, v in payload.items() if k not in ("mode", "note")}
        )
        validation = await service_for(request, session, program, access).validate_proposal(
            proposal
        )
    except (ValidationError, ProblemError) as error:
        await settle(session, error, program)
        errors, status = _schema_errors(error), 422
    context = await _form_context(request, access, program, session, values, errors, validation)
    return render(request, "swap_new.html", context, status_code=status)


@router.post(SWAPS)
async def create_swap(
    request: Request, access: Requester, program: ProgramDep, session: SessionDep
) -> Any:
    form = await request.form()
    values = _form_values(form, access)
    try:
        payload = SwapCreate.model_validate(_payload(values, access))
        swap = await service_for(request, session, program, access).create(payload)
    except (ValidationError, ProblemError) as error:
        await settle(session, error, program)
        context = await _form_context(
            request, access, program, session, values, _schema_errors(error)
        )
        status = 409 if isinstance(error, ProblemError) and error.status == 409 else 422
        return render(request, "swap_new.html", context, status_code=status)
    return see_other(program_url(program, "swaps", str(swap.id)), "swap-requested")


async def _detail_context(
    request: Request, access: Access, program: Any, session: Any, swap_id: uuid.UUID
) -> dict[str, Any]:
    service = service_for(request, session, program, access)
    swap = await service.get(swap_id)
    _, names = await _names(session, program)
    me = access.person_id
    manager = may(access, Permission.SWAPS_APPROVE)
    validation = None
    check_note = None
    if swap.status in OPEN_STATUSES:
        claimant = None
        if swap.counterparty_id is None and me is not None and me != swap.requester_id:
            claimant = me
        if swap.counterparty_id is None and claimant is None:
            check_note = "An open offer is checked for the person who claims it."
        else:
            try:
                validation = await service.validate(swap.id, claimant)
            except ProblemError as error:
                check_note = error.detail
    requester = may(access, Permission.SWAPS_REQUEST)
    is_requester = me is not None and swap.requester_id == me
    is_counterparty = me is not None and swap.counterparty_id == me
    waiting = swap.status is SwapStatus.REQUESTED
    actions = {
        "accept": requester
        and waiting
        and swap.mode is SwapMode.DIRECTED
        and (is_counterparty or (manager and swap.counterparty_id is not None)),
        "decline": requester
        and waiting
        and swap.mode is SwapMode.DIRECTED
        and (is_counterparty or manager),
        "claim": requester
        and waiting
        and swap.mode is SwapMode.OFFER
        and me is not None
        and not is_requester,
        "cancel": requester and swap.status in OPEN_STATUSES and (is_requester or manager),
        "approve": manager and swap.status in (SwapStatus.ACCEPTED, SwapStatus.APPROVED),
        "deny": manager and swap.status in (SwapStatus.REQUESTED, SwapStatus.ACCEPTED),
        "rollback": manager and swap.status is SwapStatus.EXECUTED,
    }
    return {
        **program_context(request, access, program, "swaps"),
        "row": swap_row(swap, names),
        "swap": swap,
        "validation": _validation_view(validation, names) if validation else None,
        "check_note": check_note,
        "actions": actions,
        "errors": FormErrors(),
        "idempotency_key": secrets.token_urlsafe(16),
        "recorded_changes": _recorded(swap, names),
    }


def _recorded(swap: Swap, names: dict[str, str]) -> list[ChangeView]:
    """The rows the swap changed, as recorded when it was carried out."""
    views = []
    for change in swap.changes or []:
        before = change.get("before") or {}
        after = change.get("after") or {}
        row = after or before
        if change.get("table") == "shifts":
            what = SHIFT_NAMES.get(str(row.get("kind")), str(row.get("kind")))
        else:
            what = f"{row.get('session') or ''} slot".strip()
        day = str(row.get("date") or "")
        views.append(
            ChangeView(
                what,
                date.fromisoformat(day[:10]) if day else date.min,
                names.get(str(before.get("person_id")), "nobody"),
                names.get(str(after.get("person_id")), "nobody"),
            )
        )
    return sorted(views, key=lambda v: (v.day, v.what))


@router.get(ONE)
async def swap_page(
    request: Request,
    access: Reader,
    program: ProgramDep,
    session: SessionDep,
    swap_id: uuid.UUID,
) -> Any:
    """One swap: where it stands, its check, and what the viewer may do with it."""
    context = await _detail_context(request, access, program, session, swap_id)
    return render(request, "swap.html", context)


async def _act(
    request: Request,
    access: Access,
    program: Any,
    session: Any,
    swap_id: uuid.UUID,
    action: str,
) -> Any:
    form = await request.form()
    reason = optional_text(form, "reason")
    service = service_for(request, session, program, access)
    notice = {
        "accept": "swap-accepted",
        "claim": "swap-accepted",
        "decline": "swap-declined",
        "cancel": "swap-cancelled",
        "approve": "swap-approved",
        "deny": "swap-denied",
        "rollback": "swap-rolled-back",
    }[action]
    try:
        if action == "accept":
            await service.accept(swap_id)
        elif action == "claim":
            await service.claim(swap_id, None)
        elif action == "decline":
            await service.decline(swap_id)
        elif action == "cancel":
            await service.cancel(swap_id, reason)
        elif action == "deny":
            await service.deny(swap_id, reason)
        elif action == "approve":
            await _approve_and_execute(service, session, program, swap_id, reason, form)
        elif action == "rollback":
            idempotency = Idempotency(session, program.id, text(form, "idempotency_key") or None)
            swap = await service.lock_for_execution(swap_id)
            if await idempotency.replay("swap.rollback", str(swap.id)) is None:
                swap = await service.rollback(swap, reason)
                await idempotency.remember("swap.rollback", str(swap.id), 200, {"id": str(swap.id)})
    except ProblemError as error:
        await settle(session, error, program)
        context = await _detail_context(request, access, program, session, swap_id)
        context["errors"] = FormErrors.from_problem(error)
        return render(request, "swap.html", context, status_code=error.status)
    return see_other(program_url(program, "swaps", str(swap_id)), notice)


async def _approve_and_execute(
    service: SwapService,
    session: Any,
    program: Any,
    swap_id: uuid.UUID,
    reason: str | None,
    form: FormData,
) -> None:
    """Approve (when needed) and carry out, in this one transaction."""
    idempotency = Idempotency(session, program.id, text(form, "idempotency_key") or None)
    swap = await service.get(swap_id)
    if swap.status is SwapStatus.ACCEPTED and service.policy.approval_required:
        await service.approve(swap_id, reason)
    swap = await service.lock_for_execution(swap_id)
    if await idempotency.replay("swap.execute", str(swap.id)) is None:
        swap = await service.execute(swap)
        await idempotency.remember("swap.execute", str(swap.id), 200, {"id": str(swap.id)})


@router.post(ONE + "/accept")
async def accept_swap(
    request: Request,
    access: Requester,
    program: ProgramDep,
    session: SessionDep,
    swap_id: uuid.UUID,
) -> Any:
    """The counterparty accepts a directed request."""
    return await _act(request, access, program, session, swap_id, "accept")


@router.post(ONE + "/claim")
async def claim_swap(
    request: Request,
    access: Requester,
    program: ProgramDep,
    session: SessionDep,
    swap_id: uuid.UUID,
) -> Any:
    """Claim an open offer for yourself."""
    return await _act(request, access, program, session, swap_id, "claim")


@router.post(ONE + "/decline")
async def decline_swap(
    request: Request,
    access: Requester,
    program: ProgramDep,
    session: SessionDep,
    swap_id: uuid.UUID,
) -> Any:
    return await _act(request, access, program, session, swap_id, "decline")


@router.post(ONE + "/cancel")
async def cancel_swap(
    request: Request,
    access: Requester,
    program: ProgramDep,
    session: SessionDep,
    swap_id: uuid.UUID,
) -> Any:
    return await _act(request, access, program, session, swap_id, "cancel")


@router.post(ONE + "/approve")
async def approve_swap(
    request: Request, access: Approver, program: ProgramDep, session: SessionDep, swap_id: uuid.UUID
) -> Any:
    """Approve and carry out the swap in one transaction (refused with every finding)."""
    return await _act(request, access, program, session, swap_id, "approve")


@router.post(ONE + "/deny")
async def deny_swap(
    request: Request, access: Approver, program: ProgramDep, session: SessionDep, swap_id: uuid.UUID
) -> Any:
    return await _act(request, access, program, session, swap_id, "deny")


@router.post(ONE + "/rollback")
async def rollback_swap(
    request: Request, access: Approver, program: ProgramDep, session: SessionDep, swap_id: uuid.UUID
) -> Any:
    """Undo a carried-out swap within the program's rollback window."""
    return await _act(request, access, program, session, swap_id, "rollback")
