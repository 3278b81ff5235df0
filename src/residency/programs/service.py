"""Programs: creation with their first academic year, settings changes, new years."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from residency.api.etags import check_if_match
from residency.audit.service import AuditTrail, snapshot
from residency.core.calendar import academic_year_bounds, generate_blocks, weekday_number
from residency.errors import Conflict
from residency.plan.repository import RotationPlanRepository
from residency.programs.models import AcademicYear, Block, Program
from residency.programs.repository import (
    AcademicYearRepository,
    BlockRepository,
    ProgramRepository,
)
from residency.programs.schemas import ProgramCreate, ProgramUpdate


class ProgramService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.programs = ProgramRepository(session)
        self.years = AcademicYearRepository(session)
        self.blocks = BlockRepository(session)
        self.audit = AuditTrail(session)

    async def page(
        self, *, limit: int, offset: int, member: uuid.UUID | None = None
    ) -> tuple[Sequence[Program], int]:
        """Every program, or only those where user `member` holds a role."""
        if member is not None:
            return await self.programs.page_for_member(member, limit=limit, offset=offset)
        return await self.programs.page(None, {}, limit=limit, offset=offset)

    async def create(self, payload: ProgramCreate) -> Program:
        await self._check_name_free(payload.name, None)
        program = Program(
            name=payload.name,
            timezone=payload.timezone,
            block_weekday=weekday_number(payload.block_weekday),
            settings=payload.settings.model_dump(mode="json"),
        )
        await self.programs.add(program)
        await self.audit.record("create", program, program_id=program.id, after=snapshot(program))
        await self.add_academic_year(program, payload.academic_year)
        return program

    async def update(
        self, program_id: uuid.UUID, payload: ProgramUpdate, if_match: str | None
    ) -> Program:
        program = await self.programs.get_or_404(program_id, for_update=True)
        check_if_match(if_match, program.version)
        before = snapshot(program)
        changes: dict[str, Any] = payload.model_dump(exclude_unset=True, mode="json")
        if "name" in changes:
            await self._check_name_free(changes["name"], program.id)
        if "block_weekday" in changes:
            changes["block_weekday"] = weekday_number(changes["block_weekday"])
        for name, value in changes.items():
            setattr(program, name, value)
        await self.session.flush()
        if "block_weekday" in changes:
            await self._regenerate_blocks(program)
        await self.audit.record(
            "update", program, program_id=program.id, before=before, after=snapshot(program)
        )
        return program

    async def delete(self, program_id: uuid.UUID, if_match: str | None) -> None:
        program = await self.programs.get_or_404(program_id, for_update=True)
        check_if_match(if_match, program.version)
        before = snapshot(program)
        await self.programs.delete(program)
        await self.audit.record("delete", program, program_id=program.id, before=before)

    async def add_academic_year(self, program: Program, start_year: int) -> AcademicYear:
        """An academic year and its blocks, generated from the program's block weekday."""
        if await self.years.exists(
            AcademicYear.program_id == program.id, AcademicYear.start_year == start_year
        ):
            raise Conflict(
                f"academic year {start_year}-{start_year + 1} already exists",
                rule="unique_academic_year",
            )
        start, end = academic_year_bounds(start_year)
        year = AcademicYear(
            program_id=program.id, start_year=start_year, start_date=start, end_date=end
        )
        await self.years.add(year)
        await self._add_blocks(program, year)
        await self.audit.record("create", year, program_id=program.id, after=snapshot(year))
        return year

    async def _add_blocks(self, program: Program, year: AcademicYear) -> None:
        for span in generate_blocks(year.start_year, program.block_weekday):
            self.session.add(
                Block(
                    program_id=program.id,
                    academic_year_id=year.id,
                    number=span.number,
                    start_date=span.start,
                    end_date=span.end,
                )
            )
        await self.session.flush()

    async def _regenerate_blocks(self, program: Program) -> None:
        """A new block weekday moves the blocks; refused once a plan uses them."""
        if await RotationPlanRepository(self.session).any_for_program(program.id):
            raise Conflict(
                "the block weekday cannot change once the rotation plan uses the blocks",
                rule="blocks_in_use",
            )
        for year in await self.years.all_for(program.id):
            await self.blocks.delete_for_year(year.id)
            await self._add_blocks(program, year)

    async def _check_name_free(self, name: str, program_id: uuid.UUID | None) -> None:
        existing = await self.programs.by_name(name)
        if existing is not None and existing.id != program_id:
            raise Conflict(f"a program named '{name}' already exists", rule="unique_program_name")
