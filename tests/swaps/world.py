"""A small, hand-built, compliant published schedule for the swap and leave tests.

Two FMIT weeks, H = Friday 2026-09-04 .. Thursday 2026-09-17:

- faculty F1..F4 (core): F1 attends FMIT week 1 (09-04), F2 week 2 (09-11); one faculty
  member on home call every Sunday-Thursday night; one preceptor (AT) in every resident
  clinic session, never on a post-call morning, an FMIT week or its recovery Friday;
- residents R1, R2 (PGY-2) and R3 (PGY-1): continuity clinic (C) every weekday AM and
  PM except the protected Wednesday afternoon; R1 on 24-h call Saturday 09-05, R2
  Saturday 09-12.

The rows are written straight into the database (one transaction, no API calls), so a
hypothesis example can build a fresh program cheaply; the program itself is created
through `ProgramService` (its year and blocks). The clock of the tests stands at
2026-08-03, so H is outside the 7-day freeze window.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from residency.activities.kinds import ActivityCategory
from residency.activities.models import Activity
from residency.assignments.models import Assignment
from residency.core.calendar import Session, iter_days
from residency.core.settings import ProgramSettings
from residency.db import unit_of_work
from residency.people.kinds import FacultyRole, PersonRole
from residency.people.models import Person
from residency.programs.repository import ProgramRepository
from residency.programs.schemas import ProgramCreate
from residency.programs.service import ProgramService
from residency.shifts.models import Shift, ShiftKind

ZONE = ZoneInfo("America/Chicago")
NOW = datetime(2026, 8, 3, 15, 0, tzinfo=UTC)
H = (date(2026, 9, 4), date(2026, 9, 17))
W1, W2 = date(2026, 9, 4), date(2026, 9, 11)
FMIT = {W1: "F1", W2: "F2"}
FACULTY_CALL = {
    date(2026, 9, 6): "F2",
    date(2026, 9, 7): "F3",
    date(2026, 9, 8): "F4",
    date(2026, 9, 9): "F2",
    date(2026, 9, 10): "F3",
    date(2026, 9, 13): "F4",
    date(2026, 9, 14): "F1",
    date(2026, 9, 15): "F3",
    date(2026, 9, 16): "F4",
    date(2026, 9, 17): "F1",
}
RESIDENT_CALL = {date(2026, 9, 5): "R1", date(2026, 9, 12): "R2"}
AM, PM = Session.AM, Session.PM
PRECEPTOR = {
    (date(2026, 9, 4), AM): "F3",
    (date(2026, 9, 4), PM): "F4",
    (date(2026, 9, 7), AM): "F3",
    (date(2026, 9, 7), PM): "F4",
    (date(2026, 9, 8), AM): "F2",
    (date(2026, 9, 8), PM): "F4",
    (date(2026, 9, 9), AM): "F3",
    (date(2026, 9, 10), AM): "F4",
    (date(2026, 9, 10), PM): "F3",
    (date(2026, 9, 11), AM): "F4",
    (date(2026, 9, 11), PM): "F3",
    (date(2026, 9, 14), AM): "F3",
    (date(2026, 9, 14), PM): "F1",
    (date(2026, 9, 15), AM): "F4",
    (date(2026, 9, 15), PM): "F3",
    (date(2026, 9, 16), AM): "F1",
    (date(2026, 9, 17), AM): "F3",
    (date(2026, 9, 17), PM): "F4",
}
FACULTY = ("F1", "F2", "F3", "F4")
RESIDENTS = {"R1": 2, "R2": 2, "R3": 1}


@dataclass
class World:
    program_id: str
    people: dict[str, str] = field(default_factory=dict)  # name -> id
    activities: dict[str, str] = field(default_factory=dict)  # code -> id

    @property
    def base(self) -> str:
        return f"/api/v1/programs/{self.program_id}"

    def name_of(self, person_id: str) -> str:
        return next(name for name, pid in self.people.items() if pid == person_id)


def clinic_slots() -> list[tuple[date, Session]]:
    return [
        (day, session)
        for day in iter_days(*H)
        if day.weekday() < 5
        for session in (AM, PM)
        if not (day.weekday() == 2 and session is PM)
    ]


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZONE)


async def build_world(
    app: FastAPI,
    name: str | None = None,
    *,
    approval_required: bool = True,
    extra_faculty: int = 0,
    **settings: Any,
) -> World:
    """The schedule above; `extra_faculty` adds F5, F6, ... with nothing scheduled."""
    policy = {"approval_required": approval_required, **settings.pop("swaps", {})}
    program_settings = ProgramSettings.model_validate({"swaps": policy, **settings})
    async with unit_of_work(app.state.session_factory) as session:
        program = await ProgramService(session).create(
            ProgramCreate(
                name=name or f"Swap FM {uuid.uuid4().hex[:8]}",
                timezone="America/Chicago",
                academic_year=2026,
                settings=program_settings,
            )
        )
        world = World(str(program.id))
        activities = [
            Activity(
                code="AT",
                name="Precepting",
                category=ActivityCategory.CLINICAL,
                provides_supervision=True,
            ),
            Activity(
                code="C",
                name="Continuity clinic",
                category=ActivityCategory.CLINICAL,
                needs_supervision=True,
                sees_patients=True,
            ),
            Activity(code="ADM", name="Administration", category=ActivityCategory.CLINICAL),
            Activity(
                code="LV", name="Leave", category=ActivityCategory.LEAVE, counts_toward_hours=False
            ),
        ]
        people = [
            Person(
                name=f, role=PersonRole.FACULTY, faculty_role=FacultyRole.CORE, weekly_clinic_cap=6
            )
            for f in FACULTY + tuple(f"F{n}" for n in range(5, 5 + extra_faculty))
        ] + [Person(name=r, role=PersonRole.RESIDENT, pgy=pgy) for r, pgy in RESIDENTS.items()]
        for row in activities + people:
            row.program_id = program.id
            session.add(row)
        await session.flush()
        world.activities = {a.code: str(a.id) for a in activities}
        world.people = {p.name: str(p.id) for p in people}
        session.add_all(schedule_rows(program.id, world))
    return world


def schedule_rows(program_id: uuid.UUID, world: World) -> list[Any]:
    pid = {name: uuid.UUID(value) for name, value in world.people.items()}
    act = {code: uuid.UUID(value) for code, value in world.activities.items()}
    rows: list[Any] = []
    for (day, session), faculty in PRECEPTOR.items():
        rows.append(
            Assignment(
                program_id=program_id,
                person_id=pid[faculty],
                date=day,
                session=session,
                activity_id=act["AT"],
            )
        )
    for day, session in clinic_slots():
        for resident in RESIDENTS:
            rows.append(
                Assignment(
                    program_id=program_id,
                    person_id=pid[resident],
                    date=day,
                    session=session,
                    activity_id=act["C"],
                )
            )
    for friday, faculty in FMIT.items():
        rows.append(
            Shift(
                program_id=program_id,
                person_id=pid[faculty],
                kind=ShiftKind.FMIT_WEEK,
                date=friday,
                start_at=at(friday, time(0)),
                end_at=at(friday + timedelta(days=7), time(0)),
            )
        )
    for night, faculty in FACULTY_CALL.items():
        rows.append(
            Shift(
                program_id=program_id,
                person_id=pid[faculty],
                kind=ShiftKind.FACULTY_CALL,
                date=night,
                start_at=at(night, time(17)),
                end_at=at(night + timedelta(days=1), time(8)),
            )
        )
    for day, resident in RESIDENT_CALL.items():
        rows.append(
            Shift(
                program_id=program_id,
                person_id=pid[resident],
                kind=ShiftKind.CALL,
                date=day,
                start_at=at(day, time(7)),
                end_at=at(day + timedelta(days=1), time(7)),
            )
        )
    return rows


async def schedule_version(app: FastAPI, world: World) -> int:
    async with unit_of_work(app.state.session_factory, write=False) as session:
        return await ProgramRepository(session).schedule_version(uuid.UUID(world.program_id))
