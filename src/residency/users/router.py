"""The admin user API: `/api/v1/admin/users`."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status

from residency.api.deps import SessionDep
from residency.api.etags import set_etag
from residency.api.pagination import Page, PageParams, page_of, page_params
from residency.auth.access import requires
from residency.auth.permissions import Permission
from residency.users.schemas import PasswordReset, UserCreate, UserFilters, UserRead, UserUpdate
from residency.users.service import UserService

router = APIRouter(
    prefix="/admin/users", tags=["users"], responses={403: {"description": "admins only"}}
)
Admin = requires(Permission.USERS_MANAGE)
IfMatch = Annotated[str | None, Header(alias="If-Match")]


def _service(request: Request, session: SessionDep) -> UserService:
    return UserService(session, request.app.state.passwords)


ServiceDep = Annotated[UserService, Depends(_service)]


@router.get("", response_model=Page[UserRead], dependencies=[Admin])
async def list_users(
    service: ServiceDep,
    filters: Annotated[UserFilters, Query()],
    page: Annotated[PageParams, Depends(page_params)],
) -> Any:
    rows, total = await service.page(
        filters.model_dump(exclude_none=True), limit=page.limit, offset=page.offset
    )
    return page_of(UserRead, rows, total, page)


@router.post("", response_model=UserRead, status_code=status.HTTP_201_CREATED, dependencies=[Admin])
async def create_user(payload: UserCreate, service: ServiceDep, response: Response) -> Any:
    """A user with a password (12+ characters, not a common one) and roles per program."""
    user = await service.create(payload)
    set_etag(response, user.version)
    response.headers["Location"] = f"/api/v1/admin/users/{user.id}"
    return UserRead.model_validate(user)


@router.get("/{user_id}", response_model=UserRead, dependencies=[Admin])
async def read_user(user_id: uuid.UUID, service: ServiceDep, response: Response) -> Any:
    user = await service.get(user_id)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.patch("/{user_id}", response_model=UserRead, dependencies=[Admin])
async def update_user(
    user_id: uuid.UUID,
    payload: UserUpdate,
    service: ServiceDep,
    response: Response,
    if_match: IfMatch = None,
) -> Any:
    """Rename, grant or revoke admin, replace the roles, or disable (`active: false`)."""
    user = await service.update(user_id, payload, if_match)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.post("/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT, dependencies=[Admin])
async def reset_password(
    user_id: uuid.UUID, payload: PasswordReset, service: ServiceDep
) -> Response:
    """Set a new password; the user's sessions end and they sign in again."""
    await service.reset_password(user_id, payload.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
