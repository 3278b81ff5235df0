"""Reading the audit trail: a program's entries, or (admins) all of them."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from residency.api.deps import ProgramDep, SessionDep
from residency.api.pagination import Page, PageParams, page_of, page_params
from residency.audit.repository import AuditRepository
from residency.audit.schemas import AllAuditFilters, AuditEntryRead, AuditFilters
from residency.auth.access import requires
from residency.auth.permissions import Permission

router = APIRouter(tags=["audit"])
PageDep = Annotated[PageParams, Depends(page_params)]


@router.get(
    "/programs/{program_id}/audit",
    response_model=Page[AuditEntryRead],
    dependencies=[requires(Permission.AUDIT_READ)],
)
async def program_audit(
    program: ProgramDep,
    session: SessionDep,
    filters: Annotated[AuditFilters, Query()],
    page: PageDep,
) -> Any:
    """The program's audit entries, newest first."""
    rows, total = await AuditRepository(session).page_newest_first(
        program.id, _filters(filters), limit=page.limit, offset=page.offset
    )
    return page_of(AuditEntryRead, rows, total, page)


@router.get(
    "/admin/audit",
    response_model=Page[AuditEntryRead],
    dependencies=[requires(Permission.AUDIT_READ_ALL)],
)
async def all_audit(
    session: SessionDep, filters: Annotated[AllAuditFilters, Query()], page: PageDep
) -> Any:
    """Every audit entry (users, programs, all programs' rows), newest first."""
    values = _filters(filters)
    program_id = values.pop("program_id", None)
    rows, total = await AuditRepository(session).page_newest_first(
        program_id, values, limit=page.limit, offset=page.offset
    )
    return page_of(AuditEntryRead, rows, total, page)


def _filters(filters: AuditFilters) -> dict[str, Any]:
    return filters.model_dump(exclude_none=True)
