"""Liveness and readiness probes (unauthenticated)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from residency.api.problems import problem_response
from residency.auth.access import public

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live", dependencies=[public()])
async def live() -> dict[str, str]:
    """The process is up and serving."""
    return {"status": "ok"}


@router.get("/ready", response_model=None, dependencies=[public()])
async def ready(request: Request) -> Any:
    """The database answers a query; 503 when it does not."""
    try:
        async with request.app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver or network failure means "not ready"
        return problem_response(
            503,
            "Not ready",
            f"the database is unreachable: {type(error).__name__}",
            slug="not-ready",
        )
    return JSONResponse({"status": "ok", "database": request.app.state.engine.dialect.name})
