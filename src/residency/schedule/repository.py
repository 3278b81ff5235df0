"""Reads of everything a schedule snapshot holds, for one program and date range."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from residency.absences.models import Absence
from residency.activities.models import Activity
from residency.assignments.models import Assignment
from residency.people.models import Person
from residency.plan.models import RotationPlanEntry
from residency.programs.models import Block, Holiday
from residency.rotations.models import Rotation
from residency.shifts.models import Shift


class ScheduleRepository:
    """Every query behind a snapshot; each loads one table once (no N+1)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _all(self, stmt: Any) -> Sequence[Any]:
        return (await self.session.execute(stmt)).scalars().all()

    async def people(self, program_id: uuid.UUID) -> Sequence[Person]:
        return await self._all(select(Person).where(Person.program_id == program_id))

    async def activities(self, program_id: uuid.UUID) -> Sequence[Activity]:
        return await self._all(select(Activity).where(Activity.program_id == program_id))

    async def rotations(self, program_id: uuid.UUID) -> Sequence[Rotation]:
        return await self._all(select(Rotation).where(Rotation.program_id == program_id))

    async def blocks(self, program_id: uuid.UUID, first: date, last: date) -> Sequence[Block]:
        return await self._all(
            select(Block)
            .where(Block.program_id == program_id, Block.end_date >= first)
            .where(Block.start_date <= last)
            .order_by(Block.start_date)
        )

    async def plan(self, block_ids: Sequence[uuid.UUID]) -> Sequence[RotationPlanEntry]:
        return await self._all(
            select(RotationPlanEntry).where(RotationPlanEntry.block_id.in_(block_ids))
        )

    async def assignments(
        self, program_id: uuid.UUID, first: date, last: date
    ) -> Sequence[Assignment]:
        return await self._all(
            select(Assignment).where(
                Assignment.program_id == program_id,
                Assignment.date >= first,
                Assignment.date <= last,
            )
        )

    async def shifts(
        self, program_id: uuid.UUID, first: date, last: date, zone: ZoneInfo
    ) -> Sequence[Shift]:
        """Shifts that overlap the local dates first..last (a week-long one included)."""
        start = datetime.combine(first, time(0), tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
        return await self._all(
            select(Shift).where(
                Shift.program_id == program_id, Shift.start_at < end, Shift.end_at > start
            )
        )

    async def absences(self, program_id: uuid.UUID, first: date, last: date) -> Sequence[Absence]:
        return await self._all(
            select(Absence).where(
                Absence.program_id == program_id,
                Absence.end_date >= first,
                Absence.start_date <= last,
            )
        )

    async def holidays(self, program_id: uuid.UUID, first: date, last: date) -> Sequence[Holiday]:
        return await self._all(
            select(Holiday).where(
                Holiday.program_id == program_id, Holiday.date >= first, Holiday.date <= last
            )
        )
