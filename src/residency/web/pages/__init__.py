"""The page routers, one module per area. Every route declares its permission
(`web/access.py`, `page_requires`) and is `async def`."""

from residency.web.pages.admin import router as admin_router
from residency.web.pages.auth import router as auth_router
from residency.web.pages.calendar import router as calendar_router
from residency.web.pages.compliance import router as compliance_router
from residency.web.pages.leave import router as leave_router
from residency.web.pages.runs import router as runs_router
from residency.web.pages.schedule import router as schedule_router
from residency.web.pages.swaps import router as swaps_router

PAGE_ROUTERS = (
    auth_router,
    schedule_router,
    compliance_router,
    runs_router,
    swaps_router,
    leave_router,
    calendar_router,
    admin_router,
)
