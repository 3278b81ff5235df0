"""Load a program file into the database through the same services the API uses.

Every row passes the same rules as an API request, so a bad file is refused with
the rule named, and the load is one transaction: all of it or nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from residency.absences.schemas import AbsenceCreate
from residency.absences.service import AbsenceService
from residency.activities.repository import ActivityRepository
from residency.activities.schemas import ActivityCreate
from residency.activities.service import ActivityService
from residency.assignments.schemas import AssignmentCreate
from residency.assignments.service import AssignmentService
from residency.core.program_file import ProgramFile
from residency.holidays.schemas import HolidayCreate
from residency.holidays.service import HolidayService
from residency.people.schemas import PersonCreate
from residency.people.service import PersonService
from residency.plan.models import EntrySource
from residency.plan.schemas import PlanEntryCreate
from residency.plan.service import RotationPlanService
from residency.programs.models import Program
from residency.programs.repository import BlockRepository
from residency.programs.schemas import ProgramCreate
from residency.programs.service import ProgramService
from residency.rotations.schemas import RotationCreate
from residency.rotations.service import RotationService
from residency.service_base import ScopedService
from residency.shifts.schemas import ShiftCreate
from residency.shifts.service import ShiftService


async def load_program_file(session: AsyncSession, doc: ProgramFile) -> Program:
    """Create the program described by `doc` with its year, people, rotations and plan."""
    programs = ProgramService(session)
    program = await programs.create(
        ProgramCreate(
            name=doc.name,
            timezone=doc.timezone,
            block_weekday=doc.block_weekday,
            academic_year=doc.academic_year,
            settings=doc.settings,
        )
    )
    await _create_all(ActivityService(session, program), _dumps(doc.activities), ActivityCreate)
    await _create_all(HolidayService(session, program), _dumps(doc.holidays), HolidayCreate)
    rotation_ids = {
        row.abbreviation: row.id
        for row in await _create_all(
            RotationService(session, program), _dumps(doc.rotations), RotationCreate
        )
    }
    people = await _create_all(
        PersonService(session, program),
        [spec.model_dump(exclude={"id"}) for spec in doc.people],
        PersonCreate,
    )
    person_ids = {spec.id: row.id for spec, row in zip(doc.people, people, strict=True)}
    await _load_plan(session, program, doc, person_ids, rotation_ids)
    await _load_schedule_rows(session, program, doc, person_ids)
    await _create_all(
        AbsenceService(session, program),
        [
            {**spec.model_dump(exclude={"person"}), "person_id": person_ids[spec.person]}
            for spec in doc.absences
        ],
        AbsenceCreate,
    )
    return program


async def _load_plan(
    session: AsyncSession,
    program: Program,
    doc: ProgramFile,
    person_ids: dict[str, uuid.UUID],
    rotation_ids: dict[str, uuid.UUID],
) -> None:
    year = (await ProgramService(session).years.all_for(program.id))[0]
    block_ids = {b.number: b.id for b in await BlockRepository(session).for_year(year.id)}
    entries = [
        {
            "person_id": person_ids[spec.person],
            "block_id": block_ids[spec.block],
            "half": spec.half,
            "rotation_id": rotation_ids[spec.rotation],
            "locked": spec.locked,
            "source": EntrySource.IMPORT,
        }
        for spec in doc.rotation_plan
    ]
    await _create_all(RotationPlanService(session, program), entries, PlanEntryCreate)


async def _load_schedule_rows(
    session: AsyncSession, program: Program, doc: ProgramFile, person_ids: dict[str, uuid.UUID]
) -> None:
    """Pre-set slot assignments and shifts, with their lock flags."""
    activity_ids = {a.code: a.id for a in await ActivityRepository(session).all_for(program.id)}
    await _create_all(
        AssignmentService(session, program),
        [
            {
                "person_id": person_ids[a.person],
                "date": a.date,
                "session": a.session,
                "activity_id": activity_ids[a.activity],
                "locked": a.locked,
                "source": EntrySource.IMPORT,
            }
            for a in doc.assignments
        ],
        AssignmentCreate,
    )
    await _create_all(
        ShiftService(session, program),
        [
            {
                "person_id": person_ids[s.person],
                "kind": s.kind,
                "start_at": s.start,
                "end_at": s.end,
                "locked": s.locked,
                "source": EntrySource.IMPORT,
            }
            for s in doc.shifts
        ],
        ShiftCreate,
    )


def _dumps(specs: Sequence[BaseModel]) -> list[dict[str, Any]]:
    return [spec.model_dump() for spec in specs]


async def _create_all(
    service: ScopedService[Any], rows: list[dict[str, Any]], schema: type[BaseModel]
) -> list[Any]:
    """Create each row through the service, so every domain rule applies."""
    return [await service.create(schema.model_validate(values)) for values in rows]
