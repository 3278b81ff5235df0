"""Sign-in routes: the OAuth2 password flow, refresh, logout, and who am I."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from residency.api.deps import SessionDep
from residency.auth.access import Access, public, requires
from residency.auth.permissions import Permission
from residency.auth.schemas import RefreshRequest, SignedInUser, TokenPair
from residency.auth.service import AuthService
from residency.users.repository import UserRepository

router = APIRouter(prefix="/auth", tags=["sign-in"])
PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "wrong credentials, or a revoked, expired or reused token"},
    429: {"description": "too many failed sign-ins: wait `Retry-After` seconds"},
}


def _service(request: Request, session: SessionDep) -> AuthService:
    state = request.app.state
    return AuthService(
        session,
        state.settings,
        codec=state.tokens,
        passwords=state.passwords,
        now=state.clock.now(),
    )


ServiceDep = Annotated[AuthService, Depends(_service)]


@router.post("/token", response_model=TokenPair, responses=PROBLEMS, dependencies=[public()])
async def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, service: ServiceDep
) -> Any:
    """OAuth2 password flow: a 15-minute access token and a single-use refresh token."""
    client = request.client.host if request.client else "unknown"
    return await service.login(form.username, form.password, client)


@router.post("/refresh", response_model=TokenPair, responses=PROBLEMS, dependencies=[public()])
async def refresh(payload: RefreshRequest, service: ServiceDep) -> Any:
    """Spend a refresh token for a new pair. A token used twice revokes its whole session."""
    return await service.refresh(payload.refresh_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, dependencies=[public()])
async def logout(payload: RefreshRequest, service: ServiceDep) -> Response:
    """End the session of this refresh token, and the access tokens issued in it."""
    await service.logout(payload.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=SignedInUser)
async def me(access: Annotated[Access, requires(Permission.SIGNED_IN)], session: SessionDep) -> Any:
    """The signed-in user and the role they hold in each program."""
    return SignedInUser.model_validate(await UserRepository(session).get_or_404(access.user_id))
