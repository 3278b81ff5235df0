"""The permission guard of every page: `page_requires(Permission.X)`, like the API's `requires`.

A page route declares exactly one permission, from the same table as the API
(auth/permissions.py), through `page_requires` (or `page_public` for the sign-in page and
the root redirect). `PageGuard` is a `Guard`, so the route-matrix tooling
(`auth/declarations.py`) finds the declaration, a page route without one answers 403, and
the role is resolved exactly as for the API (`Guard._global` / `Guard._in_program`):

- no session cookie, a changed one, or a session that has ended: `SignInRequired`, which
  the page error handler answers with 303 to the sign-in page (the API answers 401);
- a POST without the session's CSRF token: 403 (`CsrfRefused`);
- no role in the program of the path: 404; a role without the permission: 403.

The guard stores what it granted on `request.state` for the page templates.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request

from residency.api.deps import SAFE_METHODS, SessionDep
from residency.audit.service import Actor, act_as
from residency.auth.access import Access, Guard, Principal, PublicGuard, authenticate
from residency.auth.permissions import GLOBAL_PERMISSIONS, Permission, Scope
from residency.auth.schemas import TokenPair
from residency.auth.service import AuthService
from residency.auth.tokens import InvalidToken
from residency.db import unit_of_work
from residency.errors import Forbidden, Unauthorized
from residency.web.session import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    RefreshCoalescer,
    WebKeys,
    presession_binding,
    presession_nonce,
    session_binding,
)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SignInRequired(Unauthorized):
    """No usable page session: pages answer 303 to the sign-in page instead of 401."""

    def __init__(self, detail: str = "sign in first") -> None:
        super().__init__(detail, error=None)


class CsrfRefused(Forbidden):
    """A form POST without the right CSRF token (or from another origin)."""


def keys_of(request: Request) -> WebKeys:
    keys: WebKeys = request.app.state.web_keys
    return keys


async def page_principal(request: Request) -> Principal:
    """The signed-in user of the page session cookie, refreshing an expired access token.

    It runs before the request's own unit of work opens (a writing one holds SQLite's
    write lock), in short transactions of its own: the refresh commits on its own, so a
    form that is refused later never undoes the token rotation the new cookie carries.
    """
    state = request.app.state
    tokens = keys_of(request).open(request.cookies.get(SESSION_COOKIE))
    if tokens is None:
        raise SignInRequired()
    access_token = tokens.access
    try:
        state.tokens.read(access_token, state.clock.now())
    except InvalidToken:
        pair = await _refreshed(request, tokens.refresh)
        request.state.web_new_pair = pair
        access_token = pair.access_token
    try:
        async with unit_of_work(state.session_factory, write=False) as session:
            return await authenticate(request, session, access_token)
    except Unauthorized as error:
        raise SignInRequired("your session has ended; sign in again") from error


PagePrincipal = Annotated[Principal, Depends(page_principal)]


async def _refreshed(request: Request, refresh_token: str) -> TokenPair:
    """A new token pair for the cookie's refresh token (in its own transaction)."""
    state = request.app.state
    coalescer: RefreshCoalescer = state.web_refresh
    async with coalescer.lock(refresh_token):
        pair = coalescer.recent(refresh_token)
        if pair is not None:
            return pair
        try:
            async with unit_of_work(state.session_factory) as session:
                service = AuthService(
                    session,
                    state.settings,
                    codec=state.tokens,
                    passwords=state.passwords,
                    now=state.clock.now(),
                )
                pair = await service.refresh(refresh_token)
        except Unauthorized as error:
            raise SignInRequired("your session has ended; sign in again") from error
        coalescer.remember(refresh_token, pair)
        return pair


async def check_csrf(request: Request, binding: str) -> None:
    """403 unless the request carries the CSRF token of `binding` and no foreign Origin."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise CsrfRefused("this form was sent from another site")
    presented = request.headers.get(CSRF_HEADER)
    if presented is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        presented = value if isinstance(value, str) else None
    if not keys_of(request).csrf_matches(binding, presented):
        raise CsrfRefused(
            "this form has expired or did not come from this site: reload the page and try again"
        )


class PageGuard(Guard):
    """The dependency behind `page_requires`: the page session cookie instead of a bearer."""

    def __repr__(self) -> str:
        return f"page_requires({self.permission.value})"

    async def __call__(  # type: ignore[override]
        self, request: Request, principal: PagePrincipal, session: SessionDep
    ) -> Access:
        act_as(session, Actor(principal.user_id, principal.username))
        binding = session_binding(principal.session_id)
        request.state.web_principal = principal
        request.state.web_csrf = keys_of(request).csrf_for(binding)
        if request.method not in SAFE_METHODS:
            await check_csrf(request, binding)
        if self.permission in GLOBAL_PERMISSIONS:
            access = self._global(principal)
        else:
            access = await self._in_program(request, session, principal)
        request.state.web_access = access
        return access


class PublicPageGuard(PublicGuard):
    """The sign-in page: no session, but its form POST is tied to a pre-session nonce."""

    def __repr__(self) -> str:
        return "page_public()"

    async def __call__(self, request: Request) -> Access:  # type: ignore[override]
        nonce, new = presession_nonce(request)
        if new:
            request.state.web_new_presession = nonce
        request.state.web_csrf = keys_of(request).csrf_for(presession_binding(nonce))
        if request.method not in SAFE_METHODS:
            if new:
                raise CsrfRefused(
                    "your browser did not send the sign-in form's cookie: reload the page"
                )
            await check_csrf(request, presession_binding(nonce))
        return Access(self.permission, Scope.ALL)


@cache
def _page_guard(permission: Permission) -> Guard:
    if permission is Permission.PUBLIC:
        return PublicPageGuard(permission)
    if permission is Permission.CALENDAR_FEED:
        raise ValueError("calendar feeds take their token, not a page session")
    return PageGuard(permission)


def page_requires(permission: Permission) -> Any:
    """A page route's permission declaration (a dependency returning the `Access`)."""
    return Depends(_page_guard(permission))


def page_public() -> Any:
    """Declare a page that takes no session: the sign-in page and the root redirect."""
    return page_requires(Permission.PUBLIC)
