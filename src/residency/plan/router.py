"""Routes for the rotation plan."""

from residency.api.crud import crud_router
from residency.auth.permissions import Permission
from residency.plan.schemas import PlanEntryCreate, PlanEntryRead, PlanEntryUpdate, PlanFilters
from residency.plan.service import RotationPlanService

router = crud_router(
    path="rotation-plan",
    tag="rotation plan",
    service=RotationPlanService,
    create_schema=PlanEntryCreate,
    update_schema=PlanEntryUpdate,
    read_schema=PlanEntryRead,
    read=Permission.SCHEDULE_READ,
    write=Permission.SCHEDULE_MANAGE,
    filter_schema=PlanFilters,
)
