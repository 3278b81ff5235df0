"""Build a `ScheduleSnapshot` of a program from the stored tables."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from residency.core.calendar import BlockSpan
from residency.core.schedule import (
    AbsenceInfo,
    PersonInfo,
    PlanEntry,
    ScheduleSnapshot,
    ShiftInfo,
    SlotAssignment,
    activity_info,
    rotation_info,
)
from residency.core.settings import ProgramSettings
from residency.programs.models import Program
from residency.schedule.repository import ScheduleRepository


async def load_snapshot(
    session: AsyncSession, program: Program, first: date, last: date
) -> ScheduleSnapshot:
    """The program's schedule over the local dates first..last, people keyed by id."""
    rows = ScheduleRepository(session)
    zone = ZoneInfo(program.timezone)
    activities = {a.id: a for a in await rows.activities(program.id)}
    rotations = {r.id: r for r in await rows.rotations(program.id)}
    blocks = await rows.blocks(program.id, first, last)
    block_numbers = {b.id: b.number for b in blocks}
    return ScheduleSnapshot(
        timezone=program.timezone,
        settings=ProgramSettings.model_validate(program.settings),
        period=(first, last),
        blocks=[BlockSpan(b.number, b.start_date, b.end_date) for b in blocks],
        activities={a.code: activity_info(a) for a in activities.values()},
        people={
            str(p.id): PersonInfo(str(p.id), p.name, p.role.value, p.pgy, p.weekly_clinic_cap)
            for p in await rows.people(program.id)
        },
        rotations={r.abbreviation: rotation_info(r) for r in rotations.values()},
        plan=[
            PlanEntry(
                str(e.person_id),
                block_numbers[e.block_id],
                rotations[e.rotation_id].abbreviation,
                e.half,
            )
            for e in await rows.plan(list(block_numbers))
        ],
        assignments=[
            SlotAssignment(
                str(a.person_id), a.date, a.session, activities[a.activity_id].code, a.locked
            )
            for a in await rows.assignments(program.id, first, last)
        ],
        shifts=[
            ShiftInfo(str(s.person_id), s.kind.value, s.start_at, s.end_at, s.locked)
            for s in await rows.shifts(program.id, first, last, zone)
        ],
        absences=[
            AbsenceInfo(
                str(a.person_id),
                a.kind.value,
                a.start_date,
                a.end_date,
                a.status.value,
                a.override_reason,
            )
            for a in await rows.absences(program.id, first, last)
        ],
        holidays={
            h.date: h.clinic_level.value for h in await rows.holidays(program.id, first, last)
        },
    )
