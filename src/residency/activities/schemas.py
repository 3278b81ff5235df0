"""Request and response shapes for activities."""

from __future__ import annotations

import uuid
from datetime import time

from pydantic import BaseModel, ConfigDict, Field

from residency.activities.kinds import ActivityCategory

COLOR = r"^#[0-9a-fA-F]{6}$"
CODE = r"^[A-Za-z0-9][A-Za-z0-9_+\-]{0,15}$"


class ActivityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=CODE, description="short code shown in every cell, e.g. C, AT")
    name: str = Field(min_length=1, max_length=120)
    category: ActivityCategory
    am_start: time | None = Field(None, description="default: the program's AM start")
    am_end: time | None = None
    pm_start: time | None = None
    pm_end: time | None = None
    counts_toward_hours: bool = True
    needs_supervision: bool = False
    provides_supervision: bool = False
    sees_patients: bool = False
    procedures: bool = False
    color: str = Field("#cccccc", pattern=COLOR)


class ActivityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(None, pattern=CODE)
    name: str | None = Field(None, min_length=1, max_length=120)
    category: ActivityCategory | None = None
    am_start: time | None = None
    am_end: time | None = None
    pm_start: time | None = None
    pm_end: time | None = None
    counts_toward_hours: bool | None = None
    needs_supervision: bool | None = None
    provides_supervision: bool | None = None
    sees_patients: bool | None = None
    procedures: bool | None = None
    color: str | None = Field(None, pattern=COLOR)


class ActivityRead(ActivityCreate):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: uuid.UUID
    version: int


class ActivityFilters(BaseModel):
    category: ActivityCategory | None = None
    code: str | None = None
