"""Request and response shapes of the admin user API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from residency.users.kinds import ProgramRole

USERNAME_PATTERN = r"^[A-Za-z0-9._@+-]+$"


class RoleGrant(BaseModel):
    """The user's role in one program, and the person they are there (optional)."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    program_id: uuid.UUID
    role: ProgramRole
    person_id: uuid.UUID | None = None


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=150, pattern=USERNAME_PATTERN)
    password: str = Field(min_length=1, max_length=1000, description="at least 12 characters")
    display_name: str | None = Field(None, max_length=200)
    is_admin: bool = False
    roles: list[RoleGrant] = Field(default_factory=list, max_length=200)

    @field_validator("username")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class UserUpdate(BaseModel):
    """Change the name, the admin flag, the roles (replaced as a whole) or disable."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(None, max_length=200)
    is_admin: bool | None = None
    active: bool | None = Field(None, description="false disables the user and signs them out")
    roles: list[RoleGrant] | None = Field(None, max_length=200)

    @field_validator("is_admin", "active", "roles")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=1000, description="at least 12 characters")


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    display_name: str | None
    is_admin: bool
    active: bool
    roles: list[RoleGrant]
    created_at: datetime
    password_changed_at: datetime
    version: int


class UserFilters(BaseModel):
    active: bool | None = None
    is_admin: bool | None = None
    program_id: uuid.UUID | None = Field(None, description="users holding a role there")
