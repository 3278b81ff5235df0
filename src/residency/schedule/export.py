"""A stored program as a program file (`ProgramFile`): the solver's input.

People are keyed by their UUID, rotations by abbreviation and activities by code, so a
solver result maps straight back onto the stored rows.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from residency.core.calendar import WEEKDAYS
from residency.core.program_file import (
    AbsenceSpec,
    ActivitySpec,
    AssignmentSpec,
    HolidaySpec,
    PersonSpec,
    PlanEntrySpec,
    ProgramFile,
    RotationSpec,
    ShiftSpec,
)
from residency.core.settings import ProgramSettings
from residency.programs.models import AcademicYear, Program
from residency.schedule.repository import ScheduleRepository
from residency.schedule.service import load_snapshot


async def program_file_from_db(
    session: AsyncSession, program: Program, year: AcademicYear
) -> ProgramFile:
    """Everything the solver needs about `program` for one academic year."""
    rows = ScheduleRepository(session)
    first, last = year.start_date, year.end_date
    blocks = await rows.blocks(program.id, first, last)
    block_numbers = {b.id: b.number for b in blocks}
    rotations = {r.id: r for r in await rows.rotations(program.id)}
    people = await rows.people(program.id)
    return ProgramFile(
        name=program.name,
        timezone=program.timezone,
        block_weekday=WEEKDAYS[program.block_weekday],  # type: ignore[arg-type]
        academic_year=year.start_year,
        settings=ProgramSettings.model_validate(program.settings),
        activities=[
            ActivitySpec.model_validate(a, from_attributes=True)
            for a in await rows.activities(program.id)
        ],
        people=[
            PersonSpec(
                id=str(p.id),
                name=p.name,
                email=p.email,
                role=p.role,
                pgy=p.pgy,
                faculty_role=p.faculty_role,
                weekly_clinic_cap=p.weekly_clinic_cap,
            )
            for p in people
            if p.active
        ],
        rotations=[
            RotationSpec.model_validate(r, from_attributes=True) for r in rotations.values()
        ],
        rotation_plan=[
            PlanEntrySpec(
                person=str(e.person_id),
                block=block_numbers[e.block_id],
                half=e.half,  # type: ignore[arg-type]
                rotation=rotations[e.rotation_id].abbreviation,
                locked=e.locked,
            )
            for e in await rows.plan(list(block_numbers))
        ],
        absences=[
            AbsenceSpec(
                person=str(a.person_id),
                kind=a.kind.value,  # type: ignore[arg-type]
                start_date=a.start_date,
                end_date=a.end_date,
                status=a.status.value,  # type: ignore[arg-type]
                reason=a.reason,
            )
            for a in await rows.absences(program.id, first, last)
        ],
        holidays=[
            HolidaySpec(date=h.date, name=h.name, clinic_level=h.clinic_level.value)  # type: ignore[arg-type]
            for h in await rows.holidays(program.id, first, last)
        ],
    )


async def published_rows(
    session: AsyncSession, program: Program, first: date, last: date
) -> tuple[list[AssignmentSpec], list[ShiftSpec]]:
    """The stored slot assignments and shifts over first..last, keyed like a program file."""
    snapshot = await load_snapshot(session, program, first, last)
    assignments = [
        AssignmentSpec(
            person=a.person,
            date=a.date,
            session=a.session.value,  # type: ignore[arg-type]
            activity=a.activity,
            locked=a.locked,
        )
        for a in snapshot.assignments
    ]
    shifts = [
        ShiftSpec(person=s.person, kind=s.kind, start=s.start, end=s.end, locked=s.locked)  # type: ignore[arg-type]
        for s in snapshot.shifts
    ]
    return assignments, shifts
