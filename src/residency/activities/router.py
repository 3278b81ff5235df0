"""Routes for the activity catalogue."""

from residency.activities.schemas import (
    ActivityCreate,
    ActivityFilters,
    ActivityRead,
    ActivityUpdate,
)
from residency.activities.service import ActivityService
from residency.api.crud import crud_router
from residency.auth.permissions import Permission

router = crud_router(
    path="activities",
    tag="activities",
    service=ActivityService,
    create_schema=ActivityCreate,
    update_schema=ActivityUpdate,
    read_schema=ActivityRead,
    read=Permission.SCHEDULE_READ,
    write=Permission.PROGRAM_MANAGE,
    filter_schema=ActivityFilters,
)
