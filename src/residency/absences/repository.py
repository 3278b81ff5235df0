"""Queries on absences."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from sqlalchemy import select

from residency.absences.models import Absence, AbsenceStatus
from residency.repository_base import Repository

LIVE_STATUSES = (AbsenceStatus.REQUESTED, AbsenceStatus.APPROVED)


class AbsenceRepository(Repository[Absence]):
    model = Absence
    label = "absence"
    default_order: ClassVar[tuple[str, ...]] = ("start_date", "person_id")

    async def approved_on(self, person_id: uuid.UUID, day: date) -> Absence | None:
        stmt = select(Absence).where(
            Absence.person_id == person_id,
            Absence.status == AbsenceStatus.APPROVED,
            Absence.start_date <= day,
            Absence.end_date >= day,
        )
        return (await self.session.execute(stmt.limit(1))).scalar_one_or_none()

    async def live_overlapping(
        self, person_id: uuid.UUID, start: date, end: date, exclude: uuid.UUID | None
    ) -> Absence | None:
        """A requested or approved absence of the person that shares a day with start..end."""
        stmt = select(Absence).where(
            Absence.person_id == person_id,
            Absence.status.in_(LIVE_STATUSES),
            Absence.start_date <= end,
            Absence.end_date >= start,
        )
        if exclude is not None:
            stmt = stmt.where(Absence.id != exclude)
        return (await self.session.execute(stmt.limit(1))).scalar_one_or_none()
