"""Response shapes of the calendar feed token routes."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class CalendarTokenStatus(BaseModel):
    """Whether the person has a feed token; the token itself is shown only once."""

    person_id: uuid.UUID
    active: bool
    created_at: datetime | None


class CalendarTokenIssued(BaseModel):
    person_id: uuid.UUID
    token: str = Field(description="the feed secret: shown once, stored only as a digest")
    created_at: datetime
