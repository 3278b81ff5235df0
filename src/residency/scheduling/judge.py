"""A solver result as a `ScheduleSnapshot`, judged by the compliance engine and validator."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from residency.compliance.engine import check_timeline
from residency.compliance.model import parse_timeline
from residency.compliance.program_rules import validate_schedule
from residency.compliance.result import Violation
from residency.core.calendar import Session
from residency.core.program_file import AssignmentSpec, PlanEntrySpec, ProgramFile, ShiftSpec
from residency.core.schedule import (
    AbsenceInfo,
    PlanEntry,
    ScheduleSnapshot,
    ShiftInfo,
    SlotAssignment,
    duty_timeline,
)
from residency.scheduling.interface import SolveResult
from residency.scheduling.problem import base_snapshot


def snapshot_of(
    program: ProgramFile,
    plan: Iterable[PlanEntrySpec],
    assignments: Iterable[AssignmentSpec],
    shifts: Iterable[ShiftSpec],
    period: tuple[date, date] | None = None,
) -> ScheduleSnapshot:
    """The program with a schedule: its plan, slot assignments and shifts over `period`."""
    snapshot = base_snapshot(program, period)
    snapshot.plan = [PlanEntry(e.person, e.block, e.rotation, e.half) for e in plan]
    snapshot.assignments = [
        SlotAssignment(a.person, a.date, Session(a.session), a.activity, a.locked)
        for a in assignments
    ]
    snapshot.shifts = [ShiftInfo(s.person, s.kind, s.start, s.end) for s in shifts]
    snapshot.absences = [
        AbsenceInfo(a.person, a.kind, a.start_date, a.end_date, a.status) for a in program.absences
    ]
    return snapshot


def result_to_snapshot(program: ProgramFile, result: SolveResult) -> ScheduleSnapshot:
    """The result's schedule as a snapshot over the result's period (the year by default)."""
    return snapshot_of(
        program, result.rotation_plan, result.assignments, result.shifts, result.period
    )


def judge(
    snapshot: ScheduleSnapshot, duty_period: tuple[date, date] | None = None
) -> list[Violation]:
    """Every violation-severity finding: the duty-hour engine over `duty_timeline` (its
    28-day windows over `duty_period`, by default the snapshot's), then the schedule
    validator over the snapshot's period (warnings are left out)."""
    document = duty_timeline(snapshot)
    if duty_period is not None:
        document["period"] = {
            "start": duty_period[0].isoformat(),
            "end": duty_period[1].isoformat(),
        }
    timeline = parse_timeline(document)
    found = [v for v in check_timeline(timeline).violations if v.severity == "violation"]
    found += [v for v in validate_schedule(snapshot) if v.severity == "violation"]
    return found
