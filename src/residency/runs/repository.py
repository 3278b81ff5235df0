"""Queries on schedule runs, and the bulk replacement of the published schedule."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from residency.assignments.models import Assignment
from residency.plan.models import RotationPlanEntry
from residency.repository_base import Repository
from residency.runs.models import ScheduleRun
from residency.shifts.models import Shift


class RunRepository(Repository[ScheduleRun]):
    model = ScheduleRun
    label = "schedule run"
    default_order: ClassVar[tuple[str, ...]] = ("created_at",)

    async def with_draft(
        self, run_id: uuid.UUID, program_id: uuid.UUID, *, for_update: bool = False
    ) -> ScheduleRun | None:
        stmt = (
            self.scoped(program_id)
            .where(ScheduleRun.id == run_id)
            .options(undefer(ScheduleRun.draft))
        )
        if for_update:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_idempotency_key(self, program_id: uuid.UUID, key: str) -> ScheduleRun | None:
        stmt = self.scoped(program_id).where(ScheduleRun.idempotency_key == key)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def unfinished(self) -> Sequence[ScheduleRun]:
        stmt = select(ScheduleRun).where(ScheduleRun.status.in_(("queued", "running")))
        return (await self.session.execute(stmt)).scalars().all()


class PublishedScheduleRepository:
    """The published rows a run replaces: unlocked assignments, shifts and plan entries."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def assignments(
        self, program_id: uuid.UUID, first: date, last: date
    ) -> Sequence[Assignment]:
        stmt = select(Assignment).where(
            Assignment.program_id == program_id, Assignment.date.between(first, last)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def shifts(
        self, program_id: uuid.UUID, first: date, last: date, zone: ZoneInfo
    ) -> Sequence[Shift]:
        start, end = _day_bounds(first, last, zone)
        stmt = select(Shift).where(
            Shift.program_id == program_id, Shift.start_at >= start, Shift.start_at < end
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def remove_unlocked(
        self,
        program_id: uuid.UUID,
        first: date,
        last: date,
        zone: ZoneInfo,
        plan_blocks: Sequence[uuid.UUID],
    ) -> None:
        """Delete what a publish replaces: unlocked rows starting in first..last."""
        start, end = _day_bounds(first, last, zone)
        statements = [
            delete(Assignment).where(
                Assignment.program_id == program_id,
                Assignment.date.between(first, last),
                Assignment.locked.is_(False),
            ),
            delete(Shift).where(
                Shift.program_id == program_id,
                Shift.start_at >= start,
                Shift.start_at < end,
                Shift.locked.is_(False),
            ),
            delete(RotationPlanEntry).where(
                RotationPlanEntry.block_id.in_(plan_blocks),
                RotationPlanEntry.locked.is_(False),
            ),
        ]
        for statement in statements:
            await self.session.execute(statement.execution_options(synchronize_session=False))

    async def add_all(self, rows: Sequence[object]) -> None:
        self.session.add_all(rows)
        await self.session.flush()


def _day_bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return (
        datetime.combine(first, time(0), tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone),
    )
