"""Compliance routes: check a posted timeline, or judge a program's stored schedule."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from residency.api.deps import ProgramDep, SessionDep
from residency.auth.access import Access, requires
from residency.auth.permissions import Permission
from residency.compliance import TimelineError, check_timeline, parse_document, to_report
from residency.errors import FieldError, InvalidInput
from residency.programs.repository import AcademicYearRepository, BlockRepository
from residency.schedule.compliance import program_compliance
from residency.schedule.schemas import (
    BlockSchedule,
    CheckResult,
    ProgramCompliance,
    ShiftOut,
    SlotOut,
    resident_out,
)
from residency.schedule.service import load_snapshot
from residency.schedule.visibility import visible_part

router = APIRouter(tags=["compliance"])
MAX_RANGE_DAYS = 400


@router.post(
    "/compliance/check",
    response_model=CheckResult,
    dependencies=[requires(Permission.SIGNED_IN)],
)
async def check(
    document: Annotated[
        dict[str, Any], Body(description="a duty timeline, or a schedule with one")
    ],
) -> Any:
    """Judge a duty timeline (duty-timeline.schema.json) against the ACGME rules."""
    try:
        timeline = parse_document(document)
    except TimelineError as error:
        raise InvalidInput(
            str(error), errors=[FieldError(p.field, p.reason) for p in error.problems]
        ) from error
    return to_report(check_timeline(timeline))


@router.get("/programs/{program_id}/compliance", response_model=ProgramCompliance)
async def program_report(
    access: Annotated[Access, requires(Permission.COMPLIANCE_READ)],
    program: ProgramDep,
    session: SessionDep,
    start: Annotated[
        date | None, Query(description="first local date; default: year start")
    ] = None,
    end: Annotated[date | None, Query(description="last local date; default: year end")] = None,
) -> Any:
    """Violations and warnings of the stored schedule, and each resident's hours."""
    start, end = await _range(session, program, start, end)
    report = await program_compliance(session, program, start, end)
    report = visible_part(report, access.restriction())  # a resident: their own hours only
    return ProgramCompliance(
        start=report.start,
        end=report.end,
        violations=[v.as_dict() for v in report.violations],  # type: ignore[misc]
        residents=[resident_out(s, report.names.get(s.person, s.person)) for s in report.residents],
    )


@router.get(
    "/programs/{program_id}/blocks/{block_id}/schedule",
    response_model=BlockSchedule,
    dependencies=[requires(Permission.SCHEDULE_READ)],
)
async def block_schedule(block_id: uuid.UUID, program: ProgramDep, session: SessionDep) -> Any:
    """Every published slot assignment and shift of one block."""
    block = await BlockRepository(session).get_or_404(block_id, program.id)
    snapshot = await load_snapshot(session, program, block.start_date, block.end_date)
    zone = snapshot.zone
    return BlockSchedule(
        block=block.number,
        start_date=block.start_date,
        end_date=block.end_date,
        assignments=[
            SlotOut(
                person=a.person,
                date=a.date,
                session=a.session,
                activity=a.activity,
                locked=a.locked,
            )
            for a in sorted(snapshot.assignments, key=lambda a: (a.date, a.session, a.person))
        ],
        shifts=[
            ShiftOut(
                person=s.person,
                kind=s.kind,
                start=s.start.astimezone(zone),
                end=s.end.astimezone(zone),
            )
            for s in sorted(snapshot.shifts, key=lambda s: s.start)
        ],
    )


async def _range(
    session: SessionDep, program: ProgramDep, start: date | None, end: date | None
) -> tuple[date, date]:
    if start is None or end is None:
        years = await AcademicYearRepository(session).all_for(program.id)
        if not years:
            raise InvalidInput.field(
                "start", "the program has no academic year; give start and end"
            )
        start = start or years[0].start_date
        end = end or years[0].end_date
    if end < start:
        raise InvalidInput.field("end", "must be on or after start")
    if (end - start) > timedelta(days=MAX_RANGE_DAYS):
        raise InvalidInput.field("end", f"at most {MAX_RANGE_DAYS} days after start")
    return start, end
