"""Queries of leave decisions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from residency.absences.models import Absence
from residency.repository_base import Repository


class LeaveRepository(Repository[Absence]):
    model = Absence
    label = "absence"

    async def of_person_between(
        self, person_id: uuid.UUID, first: date, last: date
    ) -> Sequence[Absence]:
        """The person's absences (any status) that share a day with first..last."""
        stmt = select(Absence).where(
            Absence.person_id == person_id, Absence.start_date <= last, Absence.end_date >= first
        )
        return (await self.session.execute(stmt)).scalars().all()
