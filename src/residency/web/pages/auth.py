"""Sign-in, sign-out, the root redirect and the program list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from residency.api.deps import SessionDep
from residency.auth.access import Access
from residency.auth.permissions import Permission
from residency.auth.service import AuthService
from residency.errors import ProblemError, TooManyRequests
from residency.programs.service import ProgramService
from residency.web.access import page_public, page_requires
from residency.web.forms import FormErrors, settle, text
from residency.web.render import UI, program_url, render, see_other
from residency.web.session import (
    SESSION_COOKIE,
    clear_session_cookie,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)
Public = Annotated[Access, page_public()]
SignedIn = Annotated[Access, page_requires(Permission.SIGNED_IN)]


def safe_next(raw: str | None) -> str:
    """Only a page of this site: '/ui/...' (never '//host' or a full URL)."""
    if raw and raw.startswith(UI + "/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return UI + "/"


@router.get("/")
async def root(_: Public) -> Any:
    """The web UI lives under /ui/."""
    return RedirectResponse(UI + "/", status_code=303)


@router.get(UI)
async def ui_root(_: Public) -> Any:
    return RedirectResponse(UI + "/", status_code=303)


@router.get(UI + "/sign-in")
async def sign_in_page(request: Request, _: Public) -> Any:
    if SESSION_COOKIE in request.cookies and request.query_params.get("again") is None:
        # A live session goes on to the page; a dead one comes back here with ?again.
        target = safe_next(request.query_params.get("next"))
        if request.app.state.web_keys.open(request.cookies[SESSION_COOKIE]) is not None:
            return RedirectResponse(target, status_code=303)
    return render(
        request,
        "sign_in.html",
        {
            "next": safe_next(request.query_params.get("next")),
            "username_value": "",
            "errors": FormErrors(),
        },
    )


@router.post(UI + "/sign-in")
async def sign_in(request: Request, _: Public, session: SessionDep) -> Any:
    form = await request.form()
    username, password = text(form, "username"), str(form.get("password") or "")
    target = safe_next(text(form, "next"))
    errors = FormErrors()
    if not username:
        errors.add("username", "Enter your username")
    if not password:
        errors.add("password", "Enter your password")
    if not errors:
        state = request.app.state
        service = AuthService(
            session,
            state.settings,
            codec=state.tokens,
            passwords=state.passwords,
            now=state.clock.now(),
        )
        client = request.client.host if request.client else "unknown"
        try:
            pair = await service.login(username, password, client)
        except TooManyRequests as error:
            await settle(session, error)
            minutes = max(1, round(error.retry_after / 60))
            errors.add_general(
                f"Too many failed sign-ins. Try again in {minutes} minute"
                + ("s" if minutes != 1 else "")
            )
        except ProblemError as error:
            await settle(session, error)  # a failed sign-in is counted (commit_anyway)
            errors.add_general("Wrong username or password")
        else:
            response = RedirectResponse(target, status_code=303)
            set_session_cookie(response, request, state.web_keys, pair)
            return response
    status = 429 if any("Too many" in e for e in errors.general) else 401
    if errors.fields:
        status = 422
    return render(
        request,
        "sign_in.html",
        {"next": target, "username_value": username, "errors": errors},
        status_code=status,
    )


@router.post(UI + "/sign-out")
async def sign_out(request: Request, _: SignedIn, session: SessionDep) -> Response:
    """End the sign-in session (its tokens stop working) and drop the cookie."""
    tokens = request.app.state.web_keys.open(request.cookies.get(SESSION_COOKIE))
    pair = getattr(request.state, "web_new_pair", None)
    refresh_token = pair.refresh_token if pair is not None else tokens.refresh if tokens else None
    if refresh_token:
        state = request.app.state
        service = AuthService(
            session,
            state.settings,
            codec=state.tokens,
            passwords=state.passwords,
            now=state.clock.now(),
        )
        await service.logout(refresh_token)
    response = see_other(f"{UI}/sign-in?again=1", "signed-out")
    clear_session_cookie(response, request)
    request.state.web_new_pair = None
    return response


@router.get(UI + "/")
async def programs_page(request: Request, access: SignedIn, session: SessionDep) -> Any:
    """The programs the user holds a role in (every program for an admin)."""
    member = None if access.is_admin else access.user_id
    programs, _ = await ProgramService(session).page(limit=200, offset=0, member=member)
    if len(programs) == 1 and request.query_params.get("all") is None:
        return RedirectResponse(program_url(programs[0], "schedule"), status_code=303)
    return render(request, "programs.html", {"programs": programs})
