"""The ASGI application: routers, problem handlers and the database lifecycle."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import APIRouter, Depends, FastAPI

from residency import health
from residency.absences.router import router as absences_router
from residency.activities.router import router as activities_router
from residency.api.problems import install_problem_handlers
from residency.assignments.router import router as assignments_router
from residency.audit.router import router as audit_router
from residency.auth.declarations import install_permission_checks, refuse_undeclared
from residency.auth.passwords import Passwords
from residency.auth.router import router as auth_router
from residency.auth.secret import resolve_jwt_secret
from residency.auth.tokens import TokenCodec
from residency.clock import SystemClock
from residency.config import Settings, get_settings
from residency.db import create_engine_for, create_session_factory
from residency.exports.router import feed_router
from residency.exports.router import router as exports_router
from residency.feeds.router import router as feeds_router
from residency.holidays.router import router as holidays_router
from residency.housekeeping import start_housekeeping
from residency.jobs.runner import EmbeddedRunner
from residency.leave.router import router as leave_router
from residency.people.router import router as people_router
from residency.plan.router import router as plan_router
from residency.programs.router import router as programs_router
from residency.rotations.router import router as rotations_router
from residency.runs.router import router as runs_router
from residency.schedule.router import router as compliance_router
from residency.shifts.router import router as shifts_router
from residency.swaps.router import router as swaps_router
from residency.users.router import router as users_router
from residency.web import install_web, start_web

API_PREFIX = "/api/v1"
DOMAIN_ROUTERS = (
    auth_router,
    users_router,
    programs_router,
    people_router,
    activities_router,
    rotations_router,
    plan_router,
    assignments_router,
    shifts_router,
    absences_router,
    leave_router,
    swaps_router,
    holidays_router,
    compliance_router,
    runs_router,
    audit_router,
    exports_router,
    feeds_router,
)


def freeze_startup_objects() -> None:
    """Keep what the process holds once started (modules, routes, the solver's and the
    ORM's tables: about 290,000 objects) out of the cyclic garbage collector's full
    passes, which otherwise stop the event loop, and every request in flight, for
    about 100 ms each (seen under load in benchmarks/swaps.py)."""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        secret = await asyncio.to_thread(resolve_jwt_secret, settings)
        app.state.tokens = TokenCodec(secret, timedelta(minutes=settings.access_token_minutes))
        start_web(app, secret)
        engine = create_engine_for(settings)
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
        app.state.runner = EmbeddedRunner(settings.solver_workers, settings.solver_threads)
        freeze_startup_objects()
        housekeeping = start_housekeeping(app)
        try:
            yield
        finally:
            if housekeeping is not None:
                housekeeping.cancel()
                await asyncio.gather(housekeeping, return_exceptions=True)
            await app.state.runner.shutdown()
            await engine.dispose()

    app = FastAPI(
        title="Residency Scheduler",
        version="0.1.0",
        description="Plan and run a residency program's academic year, ACGME-compliant.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = SystemClock()  # tests swap in a clock they move by hand
    app.state.passwords = Passwords(settings)
    install_problem_handlers(app)
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(refuse_undeclared)])
    for router in DOMAIN_ROUTERS:
        api.include_router(router)
    app.include_router(api)
    app.include_router(health.router)
    app.include_router(feed_router, dependencies=[Depends(refuse_undeclared)])
    install_web(app)  # the pages under /ui, and / redirecting there
    install_permission_checks(app)
    return app
