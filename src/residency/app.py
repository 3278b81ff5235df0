"""The ASGI application: routers, problem handlers and the database lifecycle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from residency import health
from residency.absences.router import router as absences_router
from residency.activities.router import router as activities_router
from residency.api.problems import install_problem_handlers
from residency.assignments.router import router as assignments_router
from residency.config import Settings, get_settings
from residency.db import create_engine_for, create_session_factory
from residency.holidays.router import router as holidays_router
from residency.jobs.runner import EmbeddedRunner
from residency.people.router import router as people_router
from residency.plan.router import router as plan_router
from residency.programs.router import router as programs_router
from residency.rotations.router import router as rotations_router
from residency.runs.router import router as runs_router
from residency.schedule.router import router as compliance_router
from residency.shifts.router import router as shifts_router

API_PREFIX = "/api/v1"
DOMAIN_ROUTERS = (
    programs_router,
    people_router,
    activities_router,
    rotations_router,
    plan_router,
    assignments_router,
    shifts_router,
    absences_router,
    holidays_router,
    compliance_router,
    runs_router,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine_for(settings)
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
        app.state.runner = EmbeddedRunner(settings.solver_workers)
        try:
            yield
        finally:
            await app.state.runner.shutdown()
            await engine.dispose()

    app = FastAPI(
        title="Residency Scheduler",
        version="0.1.0",
        description="Plan and run a residency program's academic year, ACGME-compliant.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_problem_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    for router in DOMAIN_ROUTERS:
        api.include_router(router)
    app.include_router(api)
    app.include_router(health.router)
    return app
