"""RFC 9457 problem details for every error the API returns (DESIGN.md, "API conventions")."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from residency.errors import (
    Conflict,
    FieldError,
    PreconditionFailed,
    ProblemError,
    rule_for_integrity_error,
)

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "errors": [error.as_dict() for error in errors or []],
    }
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _from_problem(error: ProblemError) -> JSONResponse:
    return problem_response(
        error.status,
        error.title,
        error.detail,
        slug=error.slug,
        errors=error.errors,
        extra=error.extra(),
        headers=error.headers,
    )


def _field_path(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "[key]")]
    path = ""
    for part in parts:
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or "body"


async def _on_problem(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ProblemError)
    return _from_problem(error)


async def _on_validation(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [FieldError(_field_path(tuple(e["loc"])), e["msg"]) for e in error.errors()]
    summary = "; ".join(f"{e.field}: {e.reason}" for e in errors[:5])
    return problem_response(422, "Invalid request", summary, slug="invalid-request", errors=errors)


async def _on_http(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "HTTP error")
    return problem_response(
        error.status_code,
        title,
        str(error.detail),
        slug=title.lower().replace(" ", "-"),
        headers=getattr(error, "headers", None),
    )


async def _on_integrity(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, IntegrityError)
    rule = rule_for_integrity_error(error)
    return _from_problem(Conflict(f"the change breaks the rule '{rule}'", rule=rule))


async def _on_stale(_request: Request, _error: Exception) -> JSONResponse:
    return _from_problem(PreconditionFailed("the row changed since you read it"))


async def _on_database_error(request: Request, error: Exception) -> JSONResponse:
    """A connection the database closed (a restart, say): SQLAlchemy has dropped the
    pool's connections, so the same request succeeds again at once (503, Retry-After)."""
    assert isinstance(error, DBAPIError)
    if not error.connection_invalidated:
        return await _on_unexpected(request, error)
    log.warning("database connection lost: %s", error.orig)
    return problem_response(
        503,
        "Database connection lost",
        "the connection to the database was lost; try again",
        slug="database-unavailable",
        headers={"Retry-After": "1"},
    )


async def _on_unexpected(_request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=error)
    return problem_response(
        500, "Internal error", "an unexpected error occurred", slug="internal-error"
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(IntegrityError, _on_integrity)
    app.add_exception_handler(StaleDataError, _on_stale)
    app.add_exception_handler(DBAPIError, _on_database_error)
    app.add_exception_handler(Exception, _on_unexpected)
