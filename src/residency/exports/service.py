"""Exports and the plan import over the stored schedule (the same tables every view reads).

File building is CPU work: it runs in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from residency.activities.repository import ActivityRepository
from residency.core.calendar import BlockSpan
from residency.core.schedule import PersonInfo, ScheduleSnapshot
from residency.errors import InvalidInput
from residency.exports.cancellations import cancelled_items
from residency.exports.csv_export import schedule_csv
from residency.exports.ical import CancelledItem, build_feed
from residency.exports.plan_grid import GridReading, plan_workbook, read_plan_grid
from residency.exports.workbook import build_workbook
from residency.people.models import Person
from residency.plan.models import EntrySource
from residency.plan.repository import RotationPlanRepository
from residency.plan.schemas import PlanEntryCreate
from residency.plan.service import RotationPlanService
from residency.programs.models import Block, Program
from residency.programs.repository import AcademicYearRepository, BlockRepository
from residency.rotations.repository import RotationRepository
from residency.schedule.service import load_snapshot


async def year_blocks(
    session: AsyncSession, program: Program, start_year: int | None
) -> list[Block]:
    """The blocks of one academic year (default: the program's first)."""
    years = await AcademicYearRepository(session).all_for(program.id)
    year = next((y for y in years if start_year in (None, y.start_year)), None)
    if year is None:
        raise InvalidInput.field("academic_year", f"the program has no year {start_year}")
    return list(await BlockRepository(session).for_year(year.id))


def pick_blocks(blocks: list[Block], numbers: list[int] | None) -> list[Block]:
    if not numbers:
        return blocks
    chosen = [b for b in blocks if b.number in set(numbers)]
    missing = sorted(set(numbers) - {b.number for b in chosen})
    if missing:
        raise InvalidInput.field("blocks", f"no block {missing[0]} in that academic year")
    return chosen


async def workbook_bytes(session: AsyncSession, program: Program, blocks: list[Block]) -> bytes:
    snapshot = await load_snapshot(session, program, blocks[0].start_date, blocks[-1].end_date)
    colors = {a.code: a.color for a in await ActivityRepository(session).all_for(program.id)}
    spans = [BlockSpan(b.number, b.start_date, b.end_date) for b in blocks]
    return await asyncio.to_thread(build_workbook, snapshot, spans, program.name, colors)


async def csv_text(session: AsyncSession, program: Program, first: date, last: date) -> str:
    snapshot = await load_snapshot(session, program, first, last)
    return await asyncio.to_thread(schedule_csv, snapshot)


async def feed_bytes(
    session: AsyncSession,
    program: Program,
    first: date,
    last: date,
    name: str,
    people: set[str] | None,
    cancelled: list[CancelledItem],
) -> bytes:
    snapshot = await load_snapshot(session, program, first, last)
    return await asyncio.to_thread(build_feed, snapshot, name, people, cancelled)


async def program_dates(session: AsyncSession, program: Program) -> tuple[date, date]:
    """From the first to the last day of the program's academic years."""
    years = await AcademicYearRepository(session).all_for(program.id)
    if not years:
        raise InvalidInput.field("program", "the program has no academic year")
    return years[0].start_date, years[-1].end_date


async def person_feed_bytes(session: AsyncSession, program: Program, person: Person) -> bytes:
    """One person's feed, with what recently left it sent as cancelled events."""
    first, last = await program_dates(session, program)
    snapshot = await load_snapshot(session, program, first, last)
    codes = {str(a.id): a.code for a in await ActivityRepository(session).all_for(program.id)}
    gone = await cancelled_items(session, program.id, person.id, snapshot, codes)
    return await asyncio.to_thread(build_feed, snapshot, person.name, {str(person.id)}, gone)


async def plan_grid_bytes(session: AsyncSession, program: Program, blocks: list[Block]) -> bytes:
    snapshot = await load_snapshot(session, program, blocks[0].start_date, blocks[-1].end_date)
    residents = _residents(snapshot)
    numbers = [b.number for b in blocks]
    return await asyncio.to_thread(
        plan_workbook, residents, snapshot.rotations, snapshot.plan, numbers
    )


def _residents(snapshot: ScheduleSnapshot) -> list[PersonInfo]:
    return sorted(
        (p for p in snapshot.people.values() if p.is_resident),
        key=lambda p: (p.pgy or 0, p.name.lower()),
    )


async def import_plan(
    session: AsyncSession, program: Program, blocks: list[Block], content: bytes, apply: bool
) -> GridReading:
    """Read the grid (dry run); with `apply`, replace the plan of its blocks, all or nothing.

    Every non-empty cell becomes a whole-block entry; the unlocked entries of the grid's
    blocks that the grid no longer names are removed. Locked entries are kept, and a grid
    that contradicts one is refused with the cell named.
    """
    snapshot = await load_snapshot(session, program, blocks[0].start_date, blocks[-1].end_date)
    numbers = [b.number for b in blocks]
    reading = await asyncio.to_thread(
        read_plan_grid, content, _residents(snapshot), snapshot.rotations, numbers
    )
    if apply and reading.ok:
        await _replace_plan(session, program, blocks, reading)
    return reading


async def _replace_plan(
    session: AsyncSession, program: Program, blocks: list[Block], reading: GridReading
) -> None:
    """Through the plan service, so each change passes its rules and is audited."""
    service = RotationPlanService(session, program)
    block_ids = {b.number: b.id for b in blocks}
    rotations = await RotationRepository(session).all_for(program.id)
    rotation_ids = {r.abbreviation: r.id for r in rotations}
    existing = await RotationPlanRepository(session).for_blocks(list(block_ids.values()))
    locked = {(e.person_id, e.block_id) for e in existing if e.locked}
    for entry in existing:
        if not entry.locked:
            await service.delete(entry.id, None)
    for entry in reading.entries:
        person_id, block_id = uuid.UUID(entry.person), block_ids[entry.block]
        if (person_id, block_id) in locked:
            continue
        await service.create(
            PlanEntryCreate(
                person_id=person_id,
                block_id=block_id,
                rotation_id=rotation_ids[entry.rotation],
                source=EntrySource.IMPORT,
            )
        )
