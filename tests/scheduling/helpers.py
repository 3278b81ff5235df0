"""Programs for the solver tests: the demo at small sizes, and tiny impossible ones."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from residency.compliance.result import Violation
from residency.core.program_file import (
    AssignmentSpec,
    DaySpec,
    PersonSpec,
    PlanEntrySpec,
    ProgramFile,
    RotationSpec,
    ShiftSpec,
)
from residency.core.settings import ProgramSettings
from residency.demo.generator import build_activities, build_demo_program
from residency.scheduling import SolveResult, judge, snapshot_of
from residency.scheduling.problem import build_problem

ZONE = ZoneInfo("America/Chicago")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def demo(residents: int = 6, faculty: int = 5) -> ProgramFile:
    """The demo program with FMIT taking weekend call (as the lead is about to set)."""
    doc = build_demo_program(residents, faculty)
    rotations = [
        r.model_copy(update={"takes_call": True}) if r.abbreviation == "FMIT" else r
        for r in doc.rotations
    ]
    return doc.model_copy(update={"rotations": rotations})


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE)


def violations(
    program: ProgramFile,
    plan: Iterable[PlanEntrySpec],
    assignments: Iterable[AssignmentSpec],
    shifts: Iterable[ShiftSpec],
    period: tuple[date, date] | None = None,
) -> list[Violation]:
    """Violation-severity findings of both judges on a schedule."""
    return judge(snapshot_of(program, plan, assignments, shifts, period))


def result_violations(program: ProgramFile, result: SolveResult) -> list[Violation]:
    return violations(
        program, result.rotation_plan, result.assignments, result.shifts, result.period
    )


def clinic_rotation(takes_call: bool = False) -> RotationSpec:
    week = {day: DaySpec(AM="C", PM="C") for day in WEEKDAYS}
    weekend = {day: DaySpec(AM="OFF", PM="OFF") for day in ("saturday", "sunday")}
    return RotationSpec(
        name="Outpatient clinic",
        abbreviation="CLIN",
        weekly_pattern={**week, **weekend},
        takes_call=takes_call,
    )


def tiny_program(
    residents: list[tuple[str, int]],
    faculty: list[str],
    rotation: RotationSpec,
    **settings: object,
) -> ProgramFile:
    """A program of one rotation that every resident holds all year."""
    people = [
        PersonSpec(id=pid, name=f"Resident {pid}", role="resident", pgy=pgy)
        for pid, pgy in residents
    ] + [
        PersonSpec(
            id=fid, name=f"Doctor {fid}", role="faculty", faculty_role="core", weekly_clinic_cap=6
        )
        for fid in faculty
    ]
    program = ProgramFile(
        name="Tiny program",
        academic_year=2026,
        settings=ProgramSettings.model_validate({"fmit_faculty_roles": [], **settings}),
        activities=build_activities(),
        people=people,
        rotations=[rotation],
    )
    blocks = build_problem(program).blocks
    plan = [
        PlanEntrySpec(person=pid, block=b.number, rotation=rotation.abbreviation)
        for pid, _ in residents
        for b in blocks
    ]
    return program.model_copy(update={"rotation_plan": plan})


def first_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)
