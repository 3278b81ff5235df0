"""Routes for slot assignments."""

from residency.api.crud import crud_router
from residency.assignments.schemas import (
    AssignmentCreate,
    AssignmentFilters,
    AssignmentRead,
    AssignmentUpdate,
)
from residency.assignments.service import AssignmentService

router = crud_router(
    path="assignments",
    tag="assignments",
    service=AssignmentService,
    create_schema=AssignmentCreate,
    update_schema=AssignmentUpdate,
    read_schema=AssignmentRead,
    filter_schema=AssignmentFilters,
)
