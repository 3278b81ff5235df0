"""Routes for absences."""

from residency.absences.schemas import AbsenceCreate, AbsenceFilters, AbsenceRead, AbsenceUpdate
from residency.absences.service import AbsenceService
from residency.api.crud import crud_router
from residency.auth.permissions import Permission

router = crud_router(
    path="absences",
    tag="absences",
    service=AbsenceService,
    create_schema=AbsenceCreate,
    update_schema=AbsenceUpdate,
    read_schema=AbsenceRead,
    read=Permission.REQUESTS_READ,
    write=Permission.REQUESTS_WRITE,
    filter_schema=AbsenceFilters,
)
