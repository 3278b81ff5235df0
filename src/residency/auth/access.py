"""The permission guard every route declares: `requires(Permission.X)`, in one place.

`requires` is a dependency: it authenticates the bearer access token, resolves the
user's role in the program of the path, and answers
- 401 without a valid, unexpired, unrevoked token (WWW-Authenticate: Bearer);
- 404 when the user holds no role in that program (programs of others do not exist);
- 403 when the role does not hold the permission.
It returns the `Access` granted, whose `restriction()` the handler passes to the service
for the object-level rule (OWN scope: only rows about the user's own person).

`public()` declares a route that takes no credential (health probes, sign-in).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from residency.api.deps import SessionDep
from residency.audit.service import Actor, act_as
from residency.auth.permissions import (
    GLOBAL_PERMISSIONS,
    Permission,
    Scope,
    global_grant,
    program_grant,
)
from residency.auth.repository import AuthSessionRepository
from residency.auth.tokens import InvalidToken, TokenCodec
from residency.errors import Forbidden, NotFound, Unauthorized
from residency.users.kinds import ProgramRole
from residency.users.repository import MembershipRepository

TOKEN_URL = "/api/v1/auth/token"
bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)
BearerToken = Annotated[str | None, Depends(bearer)]


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user behind a request."""

    user_id: uuid.UUID
    username: str
    is_admin: bool
    session_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Access:
    """What the guard granted: the permission, in which scope, to whom."""

    permission: Permission
    scope: Scope
    principal: Principal | None = None
    role: ProgramRole | None = None  # None for admins and global permissions
    person_id: uuid.UUID | None = None  # the user's own person in this program

    @property
    def user_id(self) -> uuid.UUID:
        if self.principal is None:
            raise Unauthorized("sign in first", error=None)
        return self.principal.user_id

    @property
    def is_admin(self) -> bool:
        return self.principal is not None and self.principal.is_admin

    def restriction(self) -> uuid.UUID | None:
        """None when the grant covers every row; else the one person whose rows it covers."""
        if self.scope is Scope.ALL:
            return None
        if self.person_id is None:
            raise Forbidden("your account is not linked to a person of this program")
        return self.person_id


class Guard:
    """The dependency behind `requires`: one instance per permission."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def __repr__(self) -> str:
        return f"requires({self.permission.value})"

    async def __call__(self, request: Request, session: SessionDep, token: BearerToken) -> Access:
        principal = await authenticate(request, session, token)
        act_as(session, Actor(principal.user_id, principal.username))
        if self.permission in GLOBAL_PERMISSIONS:
            return self._global(principal)
        return await self._in_program(request, session, principal)

    def _global(self, principal: Principal) -> Access:
        scope = global_grant(self.permission, is_admin=principal.is_admin)
        if scope is None:
            raise Forbidden(f"{self.permission.value} is for admins")
        return Access(self.permission, scope, principal)

    async def _in_program(
        self, request: Request, session: SessionDep, principal: Principal
    ) -> Access:
        raw = str(request.path_params.get("program_id", ""))
        if principal.is_admin:
            return Access(self.permission, Scope.ALL, principal)
        program_id = _uuid_or_404(raw)
        membership = await MembershipRepository(session).of(principal.user_id, program_id)
        if membership is None:  # the same answer as for a program that does not exist
            raise NotFound(f"no program with id {raw}")
        scope = program_grant(membership.role, self.permission)
        if scope is None:
            raise Forbidden(f"the {membership.role.value} role does not hold {self.permission}")
        return Access(self.permission, scope, principal, membership.role, membership.person_id)


class PublicGuard(Guard):
    """A route that takes no credential: the declaration is all it does."""

    async def __call__(self) -> Access:  # type: ignore[override]
        return Access(self.permission, Scope.ALL)


async def authenticate(request: Request, session: SessionDep, token: str | None) -> Principal:
    """The user of a valid access token whose session is live, or 401."""
    if not token:
        raise Unauthorized("sign in first: send 'Authorization: Bearer <access token>'", error=None)
    codec: TokenCodec = request.app.state.tokens
    try:
        claims = codec.read(token, request.app.state.clock.now())
    except InvalidToken as error:
        raise Unauthorized(str(error)) from error
    row = await AuthSessionRepository(session).signed_in(claims.user_id, claims.session_id)
    if row is None:
        raise Unauthorized("the session has ended or the account is disabled")
    return Principal(row.id, row.username, row.is_admin, claims.session_id)


def _uuid_or_404(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"no program with id {raw}") from None


@cache
def _guard(permission: Permission) -> Guard:
    kind = PublicGuard if permission is Permission.PUBLIC else Guard
    return kind(permission)


def requires(permission: Permission) -> Any:
    """The route's permission declaration (a dependency returning the `Access`)."""
    if permission is Permission.CALENDAR_FEED:
        raise ValueError("calendar routes declare feeds.access.CalendarFeedPerson instead")
    return Depends(_guard(permission))


def public() -> Any:
    """Declare a route that takes no credential (health probes and sign-in only)."""
    return requires(Permission.PUBLIC)


def guards_of(dependant: Any) -> list[Guard]:
    """Every permission guard a route's dependency tree declares (for checks and docs)."""
    found: list[Guard] = [dependant.call] if isinstance(dependant.call, Guard) else []
    for child in dependant.dependencies:
        found.extend(guards_of(child))
    return found
