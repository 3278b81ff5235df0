"""Routes for rotations."""

from residency.api.crud import crud_router
from residency.auth.permissions import Permission
from residency.rotations.schemas import (
    RotationCreate,
    RotationFilters,
    RotationRead,
    RotationUpdate,
)
from residency.rotations.service import RotationService

router = crud_router(
    path="rotations",
    tag="rotations",
    service=RotationService,
    create_schema=RotationCreate,
    update_schema=RotationUpdate,
    read_schema=RotationRead,
    read=Permission.SCHEDULE_READ,
    write=Permission.PROGRAM_MANAGE,
    filter_schema=RotationFilters,
)
