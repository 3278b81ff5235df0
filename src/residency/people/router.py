"""Routes for people."""

from residency.api.crud import crud_router
from residency.auth.permissions import Permission
from residency.people.schemas import PersonCreate, PersonFilters, PersonRead, PersonUpdate
from residency.people.service import PersonService

router = crud_router(
    path="people",
    tag="people",
    service=PersonService,
    create_schema=PersonCreate,
    update_schema=PersonUpdate,
    read_schema=PersonRead,
    read=Permission.PEOPLE_READ,
    write=Permission.PEOPLE_MANAGE,
    filter_schema=PersonFilters,
)
