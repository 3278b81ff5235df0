"""Queries on programs, academic years and blocks."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from sqlalchemy import func, select, update

from residency.programs.models import AcademicYear, Block, Program
from residency.repository_base import Repository
from residency.users.models import ProgramMembership


class ProgramRepository(Repository[Program]):
    model = Program
    label = "program"
    default_order: ClassVar[tuple[str, ...]] = ("name",)

    async def bump_schedule_version(
        self, program_id: uuid.UUID, *, expected: int | None = None
    ) -> int | None:
        """Mark the published schedule as changed (publishing a run checks this): the new
        version. With `expected`, only if the version is still that one, else None; it
        waits for a change that holds the row, then sees that change's version."""
        stmt = update(Program).where(Program.id == program_id)
        if expected is not None:
            stmt = stmt.where(Program.schedule_version == expected)
        stmt = (
            stmt.values(schedule_version=Program.schedule_version + 1)
            .returning(Program.schedule_version)
            .execution_options(synchronize_session=False)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def schedule_version(self, program_id: uuid.UUID) -> int:
        stmt = select(Program.schedule_version).where(Program.id == program_id)
        return int((await self.session.execute(stmt)).scalar_one())

    async def by_name(self, name: str) -> Program | None:
        stmt = select(Program).where(Program.name == name)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def page_for_member(
        self, user_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[Sequence[Program], int]:
        """The programs where the user holds a role, by name."""
        member_of = select(ProgramMembership.program_id).where(ProgramMembership.user_id == user_id)
        stmt = select(Program).where(Program.id.in_(member_of))
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self.session.execute(stmt.order_by(Program.name).limit(limit).offset(offset))
        return rows.scalars().all(), int(total or 0)


class AcademicYearRepository(Repository[AcademicYear]):
    model = AcademicYear
    label = "academic year"
    default_order: ClassVar[tuple[str, ...]] = ("start_year",)

    async def containing(self, program_id: uuid.UUID, day: date) -> AcademicYear | None:
        stmt = select(AcademicYear).where(
            AcademicYear.program_id == program_id,
            AcademicYear.start_date <= day,
            AcademicYear.end_date >= day,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def all_for(self, program_id: uuid.UUID) -> Sequence[AcademicYear]:
        stmt = self.scoped(program_id).order_by(AcademicYear.start_year)
        return (await self.session.execute(stmt)).scalars().all()


class BlockRepository(Repository[Block]):
    model = Block
    label = "block"
    default_order: ClassVar[tuple[str, ...]] = ("start_date",)

    async def for_year(self, academic_year_id: uuid.UUID) -> Sequence[Block]:
        stmt = (
            select(Block).where(Block.academic_year_id == academic_year_id).order_by(Block.number)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def delete_for_year(self, academic_year_id: uuid.UUID) -> None:
        for block in await self.for_year(academic_year_id):
            await self.session.delete(block)
        await self.session.flush()
