"""Routes for holidays and reduced days."""

from residency.api.crud import crud_router
from residency.auth.permissions import Permission
from residency.holidays.schemas import HolidayCreate, HolidayFilters, HolidayRead, HolidayUpdate
from residency.holidays.service import HolidayService

router = crud_router(
    path="holidays",
    tag="holidays",
    service=HolidayService,
    create_schema=HolidayCreate,
    update_schema=HolidayUpdate,
    read_schema=HolidayRead,
    read=Permission.SCHEDULE_READ,
    write=Permission.PROGRAM_MANAGE,
    filter_schema=HolidayFilters,
)
