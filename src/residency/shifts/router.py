"""Routes for shifts."""

from residency.api.crud import crud_router
from residency.auth.permissions import Permission
from residency.shifts.schemas import ShiftCreate, ShiftFilters, ShiftRead, ShiftUpdate
from residency.shifts.service import ShiftService

router = crud_router(
    path="shifts",
    tag="shifts",
    service=ShiftService,
    create_schema=ShiftCreate,
    update_schema=ShiftUpdate,
    read_schema=ShiftRead,
    read=Permission.SCHEDULE_READ,
    write=Permission.SCHEDULE_MANAGE,
    filter_schema=ShiftFilters,
)
