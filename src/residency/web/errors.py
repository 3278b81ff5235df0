"""Errors on pages: plain-worded HTML pages instead of problem+json, and 303 to sign in.

The app's problem handlers (api/problems.py) stay in charge of every other path; for
paths under `/ui` the same exceptions are rendered as a page. Errors of a form are shown
in place by the form's own route (`forms.py`); what reaches these handlers is the rest:
a page that does not exist, a role that may not see it, a session that has ended.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from residency.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    ProblemError,
    TooManyRequests,
    Unauthorized,
)
from residency.web.middleware import is_page_path
from residency.web.render import UI, render
from residency.web.session import SESSION_COOKIE, clear_session_cookie

log = logging.getLogger(__name__)
Handler = Callable[[Request, Exception], Awaitable[Response]]
HANDLED = (
    ProblemError,
    RequestValidationError,
    StarletteHTTPException,
    IntegrityError,
    StaleDataError,
    Exception,
)


def sign_in_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET" or not target.startswith(UI + "/"):
        target = UI + "/"
    response = RedirectResponse(f"{UI}/sign-in?next={quote(target, safe='')}", status_code=303)
    if SESSION_COOKIE in request.cookies:
        clear_session_cookie(response, request)
    return response


def _page_for(request: Request, error: Exception) -> tuple[int, str, str]:
    """(status, heading, message in plain words)."""
    if isinstance(error, Forbidden):
        return 403, "You can't use this page", _sentence(error.detail)
    if isinstance(error, NotFound):
        return 404, "Not found", "There is nothing at this address, or it is not yours to see."
    if isinstance(error, TooManyRequests):
        return 429, "Too many attempts", _sentence(error.detail)
    if isinstance(error, Conflict):
        return 409, "That can't be done", _sentence(error.detail)
    if isinstance(error, PreconditionFailed | StaleDataError):
        return 412, "Changed meanwhile", "Someone changed this while you were looking: reload."
    if isinstance(error, InvalidInput | RequestValidationError):
        return 400, "Can't read that address", "Some values in the address are not valid."
    if isinstance(error, ProblemError):
        return error.status, error.title, _sentence(error.detail)
    if isinstance(error, StarletteHTTPException):
        if error.status_code == 404:
            return 404, "Not found", "There is no page at this address."
        if error.status_code == 405:
            return 405, "Not allowed", "This address does not take that kind of request."
        return error.status_code, "Error", _sentence(str(error.detail))
    if isinstance(error, IntegrityError):
        return 409, "That can't be done", "The change clashes with data already saved."
    log.exception("page error", exc_info=error)
    return 500, "Something went wrong", "Something went wrong on our side. Try again."


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


async def page_error(request: Request, error: Exception) -> Response:
    if isinstance(error, Unauthorized):
        return sign_in_redirect(request)
    status, heading, message = _page_for(request, error)
    try:
        return render(
            request,
            "error.html",
            {"status": status, "heading": heading, "message": message},
            status_code=status,
        )
    except Exception:  # the error page itself must never fail
        log.exception("rendering the error page failed")
        return Response(f"{status} {heading}", status_code=status, media_type="text/plain")


def install_page_errors(app: FastAPI) -> None:
    """Route page paths' errors to `page_error`; every other path keeps its handler."""
    originals = dict(app.exception_handlers)
    for kind in HANDLED:
        fallback = originals.get(kind)
        if fallback is None:
            continue
        app.add_exception_handler(kind, _dispatch(fallback))


def _dispatch(fallback: Handler) -> Handler:
    async def handler(request: Request, error: Exception) -> Response:
        if is_page_path(request.url.path):
            return await page_error(request, error)
        return await fallback(request, error)

    return handler
