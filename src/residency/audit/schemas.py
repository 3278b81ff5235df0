"""Response and filter shapes of the audit trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    seq: int
    at: datetime
    actor_id: uuid.UUID | None
    actor: str
    action: str
    entity_type: str
    entity_id: str
    program_id: uuid.UUID | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


class AuditFilters(BaseModel):
    action: str | None = Field(None, max_length=32, description="create, update, delete, ...")
    entity_type: str | None = Field(None, max_length=64, description="a table: people, ...")
    entity_id: str | None = Field(None, max_length=64)
    actor_id: uuid.UUID | None = None
    at_from: datetime | None = Field(None, description="entries at or after this instant")
    at_to: datetime | None = Field(None, description="entries at or before this instant")


class AllAuditFilters(AuditFilters):
    program_id: uuid.UUID | None = None
