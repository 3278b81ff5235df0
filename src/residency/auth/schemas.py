"""Request and response shapes of sign-in."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from residency.users.schemas import RoleGrant


class TokenPair(BaseModel):
    """OAuth2 token response: a bearer access token and its single-use refresh token."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds the access token stays valid")
    refresh_token: str
    refresh_expires_in: int = Field(description="seconds the refresh token stays valid")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=200)


class SignedInUser(BaseModel):
    """Who the access token belongs to, and the roles they hold."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    display_name: str | None
    is_admin: bool
    roles: list[RoleGrant]
