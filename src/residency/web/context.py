"""Small reads the pages share: the academic year shown, its blocks, the activity styles,
and lenient parsing of query parameters (a bad value falls back to the default)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from residency.activities.repository import ActivityRepository
from residency.people.models import Person
from residency.people.repository import PersonRepository
from residency.programs.models import AcademicYear, Block, Program
from residency.programs.repository import AcademicYearRepository, BlockRepository
from residency.web.grid import ActivityStyle


@dataclass(frozen=True, slots=True)
class YearView:
    years: Sequence[AcademicYear]
    year: AcademicYear | None
    blocks: Sequence[Block]

    def block(self, number: int | None, today: date) -> Block | None:
        """Block `number`, else the block holding today, else block 1 (or the first)."""
        if not self.blocks:
            return None
        if number is not None:
            found = next((b for b in self.blocks if b.number == number), None)
            if found is not None:
                return found
        holding = next((b for b in self.blocks if b.start_date <= today <= b.end_date), None)
        if holding is not None:
            return holding
        return next((b for b in self.blocks if b.number == 1), self.blocks[0])

    def block_of(self, day: date) -> Block | None:
        return next((b for b in self.blocks if b.start_date <= day <= b.end_date), None)


async def year_view(
    session: AsyncSession, program: Program, today: date, start_year: int | None = None
) -> YearView:
    years = await AcademicYearRepository(session).all_for(program.id)
    year = next((y for y in years if y.start_year == start_year), None)
    if year is None:
        year = next((y for y in years if y.start_date <= today <= y.end_date), None)
    if year is None and years:
        year = years[0]
    blocks = await BlockRepository(session).for_year(year.id) if year else []
    return YearView(years, year, blocks)


async def activity_styles(session: AsyncSession, program: Program) -> dict[str, ActivityStyle]:
    return {
        a.code: ActivityStyle(a.code, a.name, a.category.value, a.color)
        for a in await ActivityRepository(session).all_for(program.id)
    }


async def people_of(session: AsyncSession, program: Program) -> Sequence[Person]:
    people = await PersonRepository(session).all_for(program.id)
    return sorted(
        people,
        key=lambda p: (0 if p.role.value == "resident" else 1, p.pgy or 0, p.name.lower()),
    )


def int_param(raw: str | None, low: int | None = None, high: int | None = None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        return None
    return value


def date_param(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return None


def uuid_param(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw or "")
    except ValueError:
        return None


def choice_param(raw: str | None, choices: Sequence[str], default: str) -> str:
    return raw if raw in choices else default
