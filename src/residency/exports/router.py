"""Routes for files: the block workbook, CSV, the plan grid (out and in), calendar feeds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, UploadFile

from residency.api.deps import ProgramDep, SessionDep
from residency.auth.access import requires
from residency.auth.permissions import Permission
from residency.errors import FieldError, InvalidInput
from residency.exports import service
from residency.feeds.access import CalendarFeedPerson
from residency.programs.repository import ProgramRepository

router = APIRouter(tags=["exports"])
feed_router = APIRouter(tags=["calendar feeds"])  # mounted at the root: /cal/{token}.ics
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS = "text/calendar; charset=utf-8"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

Year = Annotated[int | None, Query(description="academic year start; default: the first")]
Blocks = Annotated[str | None, Query(description="block numbers, e.g. 1,2,3; default: all")]
PREFIX = "/programs/{program_id}"


def _download(content: bytes | str, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _numbers(blocks: str | None) -> list[int] | None:
    if not blocks:
        return None
    try:
        return [int(part) for part in blocks.split(",") if part.strip()]
    except ValueError:
        raise InvalidInput.field("blocks", "block numbers separated by commas") from None


@router.get(
    f"{PREFIX}/exports/workbook.xlsx",
    dependencies=[requires(Permission.SCHEDULE_READ)],
    response_class=Response,
)
async def export_workbook(
    program: ProgramDep, session: SessionDep, academic_year: Year = None, blocks: Blocks = None
) -> Response:
    """The block workbook: a sheet per block, a legend and a per-person summary."""
    chosen = service.pick_blocks(
        await service.year_blocks(session, program, academic_year), _numbers(blocks)
    )
    content = await service.workbook_bytes(session, program, chosen)
    return _download(content, XLSX, "schedule.xlsx")


@router.get(
    f"{PREFIX}/exports/schedule.csv",
    dependencies=[requires(Permission.SCHEDULE_READ)],
    response_class=Response,
)
async def export_csv(
    program: ProgramDep, session: SessionDep, academic_year: Year = None
) -> Response:
    """Every assignment and shift of the academic year as CSV."""
    year_blocks = await service.year_blocks(session, program, academic_year)
    text = await service.csv_text(
        session, program, year_blocks[0].start_date, year_blocks[-1].end_date
    )
    return _download(text, "text/csv; charset=utf-8", "schedule.csv")


@router.get(
    f"{PREFIX}/exports/rotation-plan.xlsx",
    dependencies=[requires(Permission.SCHEDULE_READ)],
    response_class=Response,
)
async def export_plan(
    program: ProgramDep, session: SessionDep, academic_year: Year = None
) -> Response:
    """The rotation plan as the resident x block grid coordinators keep."""
    year_blocks = await service.year_blocks(session, program, academic_year)
    content = await service.plan_grid_bytes(session, program, year_blocks)
    return _download(content, XLSX, "rotation-plan.xlsx")


@router.post(f"{PREFIX}/imports/rotation-plan", dependencies=[requires(Permission.SCHEDULE_MANAGE)])
async def import_plan(
    file: UploadFile,
    program: ProgramDep,
    session: SessionDep,
    academic_year: Year = None,
    apply: Annotated[bool, Query(description="write the plan; default: dry run")] = False,
) -> dict[str, Any]:
    """Check a plan grid (dry run) or apply it, all or nothing; problems name their cells."""
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput.field("file", f"larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MiB")
    year_blocks = await service.year_blocks(session, program, academic_year)
    reading = await service.import_plan(session, program, year_blocks, content, apply)
    if apply and reading.problems:
        raise InvalidInput(
            f"{len(reading.problems)} problem(s) in the grid; nothing was written",
            errors=[FieldError(p.cell, _reason(p)) for p in reading.problems],
        )
    return {
        "applied": apply,
        "entries": len(reading.entries),
        "problems": [p.as_dict() for p in reading.problems],
    }


def _reason(problem: Any) -> str:
    hint = f" (did you mean {', '.join(problem.suggestions)}?)" if problem.suggestions else ""
    return problem.reason + hint


@router.get(
    f"{PREFIX}/calendar.ics",
    dependencies=[requires(Permission.SCHEDULE_MANAGE)],
    response_class=Response,
)
async def program_feed(program: ProgramDep, session: SessionDep) -> Response:
    """The whole program's published schedule as one calendar, for coordinators."""
    first, last = await service.program_dates(session, program)
    content = await service.feed_bytes(session, program, first, last, program.name, None, [])
    return Response(content, media_type=ICS)


@feed_router.get("/cal/{token}.ics", response_class=Response)
async def person_feed(person: CalendarFeedPerson, session: SessionDep) -> Response:
    """A person's published assignments and shifts; the feed token is the only credential."""
    program = await ProgramRepository(session).get_or_404(person.program_id)
    content = await service.person_feed_bytes(session, program, person)
    return Response(content, media_type=ICS, headers={"Cache-Control": "private, max-age=300"})
