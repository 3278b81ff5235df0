"""Routes for rotations."""

from residency.api.crud import crud_router
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
    filter_schema=RotationFilters,
)
