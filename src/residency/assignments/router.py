"""Routes for slot assignments."""

from residency.api.crud import crud_router
from residency.assignments.schemas import (
    AssignmentCreate,
    AssignmentFilters,
    AssignmentRead,
    AssignmentUpdate,
)
from residency.assignments.service import AssignmentService
from residency.auth.permissions import Permission

router = crud_router(
    path="assignments",
    tag="assignments",
    service=AssignmentService,
    create_schema=AssignmentCreate,
    update_schema=AssignmentUpdate,
    read_schema=AssignmentRead,
    read=Permission.SCHEDULE_READ,
    write=Permission.SCHEDULE_MANAGE,
    filter_schema=AssignmentFilters,
)
