"""One router shape for program-scoped resources: list, read, create, update, delete.

Each domain router calls `crud_router` with its service, schemas and the two permissions
its routes declare (`read` for list and read, `write` for create, update and delete),
then adds its own routes. Lists paginate with a total; reads and writes carry the row
version as ETag; updates and deletes honour If-Match (412 when stale). A grant of OWN
scope (auth/permissions.py) restricts the service to the user's own person's rows.
"""

# No `from __future__ import annotations`: FastAPI must see the real schema classes
# that this factory closes over.
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response, status
from pydantic import BaseModel

from residency.api.deps import ProgramDep, SessionDep
from residency.api.etags import set_etag
from residency.api.pagination import Page, PageParams, page_of, page_params
from residency.auth.access import Access, requires
from residency.auth.permissions import Permission
from residency.programs.models import Program
from residency.service_base import ScopedService


class NoFilters(BaseModel):
    pass


def crud_router(
    *,
    path: str,
    tag: str,
    service: type[ScopedService[Any]],
    create_schema: type[BaseModel],
    update_schema: type[BaseModel],
    read_schema: type[BaseModel],
    read: Permission,
    write: Permission,
    filter_schema: type[BaseModel] = NoFilters,
) -> APIRouter:
    router = APIRouter(prefix=f"/programs/{{program_id}}/{path}", tags=[tag])
    item = "/{item_id}"
    page_schema = Page[read_schema]  # type: ignore[valid-type]
    IfMatch = Annotated[str | None, Header(alias="If-Match")]
    Reader = Annotated[Access, requires(read)]
    Writer = Annotated[Access, requires(write)]

    def scoped(session: Any, program: Program, access: Access) -> ScopedService[Any]:
        return service(session, program, owner=access.restriction())

    @router.get("", response_model=page_schema, summary=f"List {tag}")
    async def list_items(
        access: Reader,
        program: ProgramDep,
        session: SessionDep,
        filters: Annotated[filter_schema, Query()],  # type: ignore[valid-type]
        page: Annotated[PageParams, Depends(page_params)],
    ) -> Any:
        rows, total = await scoped(session, program, access).page(
            filters.model_dump(exclude_none=True), limit=page.limit, offset=page.offset
        )
        return page_of(read_schema, rows, total, page, shown_in(program))

    @router.post(
        "",
        response_model=read_schema,
        status_code=status.HTTP_201_CREATED,
        summary=f"Create in {tag}",
    )
    async def create_item(
        access: Writer,
        payload: create_schema,  # type: ignore[valid-type]
        program: ProgramDep,
        session: SessionDep,
        response: Response,
    ) -> Any:
        row = await scoped(session, program, access).create(payload)
        set_etag(response, row.version)
        response.headers["Location"] = f"/api/v1/programs/{program.id}/{path}/{row.id}"
        return read_schema.model_validate(row, context=shown_in(program))

    @router.get(item, response_model=read_schema, summary="Read one")
    async def read_item(
        access: Reader,
        item_id: uuid.UUID,
        program: ProgramDep,
        session: SessionDep,
        response: Response,
    ) -> Any:
        row = await scoped(session, program, access).get(item_id)
        set_etag(response, row.version)
        return read_schema.model_validate(row, context=shown_in(program))

    @router.patch(item, response_model=read_schema, summary="Update (If-Match)")
    async def update_item(
        access: Writer,
        item_id: uuid.UUID,
        payload: update_schema,  # type: ignore[valid-type]
        program: ProgramDep,
        session: SessionDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        row = await scoped(session, program, access).update(item_id, payload, if_match)
        set_etag(response, row.version)
        return read_schema.model_validate(row, context=shown_in(program))

    @router.delete(item, status_code=status.HTTP_204_NO_CONTENT, summary="Delete (If-Match)")
    async def delete_item(
        access: Writer,
        item_id: uuid.UUID,
        program: ProgramDep,
        session: SessionDep,
        if_match: IfMatch = None,
    ) -> Response:
        await scoped(session, program, access).delete(item_id, if_match)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router


def shown_in(program: Program) -> dict[str, Any]:
    """Validation context: datetimes are stored in UTC and shown in the program's zone."""
    return {"timezone": program.timezone}
