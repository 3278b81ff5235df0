"""Request and response shapes for people."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field, model_validator

from residency.people.kinds import DEFAULT_WEEKLY_CLINIC_CAP, FacultyRole, PersonRole


class PersonFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    role: PersonRole
    pgy: int | None = Field(None, ge=1, le=8, description="residents only")
    faculty_role: FacultyRole | None = Field(None, description="faculty only")
    weekly_clinic_cap: int | None = Field(None, ge=0, le=10, description="faculty only")
    active: bool = True


class PersonCreate(PersonFields):
    @model_validator(mode="after")
    def _fields_match_role(self) -> PersonCreate:
        problems = role_field_problems(self.model_dump())
        if problems:
            raise ValueError("; ".join(problems))
        if self.role is PersonRole.FACULTY and self.weekly_clinic_cap is None:
            assert self.faculty_role is not None
            self.weekly_clinic_cap = DEFAULT_WEEKLY_CLINIC_CAP[self.faculty_role]
        return self


class PersonUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    role: PersonRole | None = None
    pgy: int | None = Field(None, ge=1, le=8)
    faculty_role: FacultyRole | None = None
    weekly_clinic_cap: int | None = Field(None, ge=0, le=10)
    active: bool | None = None


class PersonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    email: str | None
    role: PersonRole
    pgy: int | None
    faculty_role: FacultyRole | None
    weekly_clinic_cap: int | None
    active: bool
    version: int


class PersonFilters(BaseModel):
    role: PersonRole | None = None
    pgy: int | None = None
    active: bool | None = None


def role_field_problems(values: dict[str, object]) -> list[str]:
    """Residents carry a PGY; faculty carry a faculty role and a clinic cap."""
    if values.get("role") == PersonRole.RESIDENT:
        return [
            message
            for present, message in (
                (values.get("pgy") is None, "pgy: required for a resident"),
                (values.get("faculty_role") is not None, "faculty_role: only for faculty"),
                (
                    values.get("weekly_clinic_cap") is not None,
                    "weekly_clinic_cap: only for faculty",
                ),
            )
            if present
        ]
    return [
        message
        for present, message in (
            (values.get("faculty_role") is None, "faculty_role: required for faculty"),
            (values.get("pgy") is not None, "pgy: only for residents"),
        )
        if present
    ]
