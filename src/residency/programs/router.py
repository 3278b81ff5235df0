"""Routes for programs, their academic years and blocks."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response, status

from residency.api.deps import ProgramDep, SessionDep
from residency.api.etags import set_etag
from residency.api.pagination import Page, PageParams, page_of, page_params
from residency.auth.access import Access, requires
from residency.auth.permissions import Permission
from residency.programs.repository import AcademicYearRepository, BlockRepository
from residency.programs.schemas import (
    AcademicYearCreate,
    AcademicYearRead,
    BlockFilters,
    BlockRead,
    ProgramCreate,
    ProgramRead,
    ProgramUpdate,
)
from residency.programs.service import ProgramService

router = APIRouter(tags=["programs"])
PageDep = Annotated[PageParams, Depends(page_params)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]


@router.get("/programs", response_model=Page[ProgramRead])
async def list_programs(
    access: Annotated[Access, requires(Permission.SIGNED_IN)], session: SessionDep, page: PageDep
) -> Any:
    """Every program for an admin; otherwise the programs where the user holds a role."""
    member = None if access.is_admin else access.user_id
    rows, total = await ProgramService(session).page(
        limit=page.limit, offset=page.offset, member=member
    )
    return page_of(ProgramRead, rows, total, page)


@router.post(
    "/programs",
    response_model=ProgramRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(Permission.PROGRAMS_CREATE)],
)
async def create_program(payload: ProgramCreate, session: SessionDep, response: Response) -> Any:
    program = await ProgramService(session).create(payload)
    set_etag(response, program.version)
    response.headers["Location"] = f"/api/v1/programs/{program.id}"
    return ProgramRead.model_validate(program)


@router.get(
    "/programs/{program_id}",
    response_model=ProgramRead,
    dependencies=[requires(Permission.PROGRAM_READ)],
)
async def read_program(program: ProgramDep, response: Response) -> Any:
    set_etag(response, program.version)
    return ProgramRead.model_validate(program)


@router.patch(
    "/programs/{program_id}",
    response_model=ProgramRead,
    dependencies=[requires(Permission.PROGRAM_MANAGE)],
)
async def update_program(
    program_id: uuid.UUID,
    payload: ProgramUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> Any:
    program = await ProgramService(session).update(program_id, payload, if_match)
    set_etag(response, program.version)
    return ProgramRead.model_validate(program)


@router.delete(
    "/programs/{program_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[requires(Permission.PROGRAM_DELETE)],
)
async def delete_program(
    program_id: uuid.UUID, session: SessionDep, if_match: IfMatch = None
) -> Response:
    await ProgramService(session).delete(program_id, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/programs/{program_id}/academic-years",
    response_model=Page[AcademicYearRead],
    dependencies=[requires(Permission.PROGRAM_READ)],
)
async def list_academic_years(program: ProgramDep, session: SessionDep, page: PageDep) -> Any:
    rows, total = await AcademicYearRepository(session).page(
        program.id, {}, limit=page.limit, offset=page.offset
    )
    return page_of(AcademicYearRead, rows, total, page)


@router.post(
    "/programs/{program_id}/academic-years",
    response_model=AcademicYearRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(Permission.PROGRAM_MANAGE)],
)
async def add_academic_year(
    payload: AcademicYearCreate, program: ProgramDep, session: SessionDep
) -> Any:
    year = await ProgramService(session).add_academic_year(program, payload.start_year)
    return AcademicYearRead.model_validate(year)


@router.get(
    "/programs/{program_id}/academic-years/{item_id}",
    response_model=AcademicYearRead,
    dependencies=[requires(Permission.PROGRAM_READ)],
)
async def read_academic_year(item_id: uuid.UUID, program: ProgramDep, session: SessionDep) -> Any:
    year = await AcademicYearRepository(session).get_or_404(item_id, program.id)
    return AcademicYearRead.model_validate(year)


@router.get(
    "/programs/{program_id}/blocks",
    response_model=Page[BlockRead],
    dependencies=[requires(Permission.PROGRAM_READ)],
)
async def list_blocks(
    program: ProgramDep,
    session: SessionDep,
    page: PageDep,
    filters: Annotated[BlockFilters, Query()],
) -> Any:
    rows, total = await BlockRepository(session).page(
        program.id, filters.model_dump(exclude_none=True), limit=page.limit, offset=page.offset
    )
    return page_of(BlockRead, rows, total, page)


@router.get(
    "/programs/{program_id}/blocks/{item_id}",
    response_model=BlockRead,
    dependencies=[requires(Permission.PROGRAM_READ)],
)
async def read_block(item_id: uuid.UUID, program: ProgramDep, session: SessionDep) -> Any:
    block = await BlockRepository(session).get_or_404(item_id, program.id)
    return BlockRead.model_validate(block)
