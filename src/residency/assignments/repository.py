"""Queries on slot assignments."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from sqlalchemy import select

from residency.assignments.models import Assignment
from residency.core.calendar import Session
from residency.repository_base import Repository


class AssignmentRepository(Repository[Assignment]):
    model = Assignment
    label = "assignment"
    default_order: ClassVar[tuple[str, ...]] = ("date", "session", "person_id")

    async def in_slot(self, person_id: uuid.UUID, day: date, session: Session) -> Assignment | None:
        stmt = select(Assignment).where(
            Assignment.person_id == person_id,
            Assignment.date == day,
            Assignment.session == session,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()
