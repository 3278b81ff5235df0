"""The schedule file (`schedule.json`): a generated schedule with its duty timeline.

Members: the activities (times per session, what they count for), the people, the
rotation plan, the slot assignments, the shifts, the duty timeline derived from them
(duty-timeline schema, so `residency check schedule.json` judges it) and a summary of the
run. Its JSON Schema is `schemas/schedule.schema.json`.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator

from residency.activities.kinds import ActivityCategory
from residency.compliance.model import TimelineError, parse_timeline
from residency.core.calendar import Session
from residency.core.program_file import AssignmentSpec, PlanEntrySpec, ProgramFile, ShiftSpec
from residency.core.schedule import activity_info, duty_timeline
from residency.scheduling.interface import Conflict, Scope, SolveResult, Status
from residency.scheduling.judge import result_to_snapshot
from residency.scheduling.problem import base_snapshot

FORMAT = "residency-schedule/1"
TIMELINE_DESCRIPTION = "the duty timeline of the schedule (duty-timeline.schema.json)"
TimelineDocument = Annotated[
    dict[str, Any],
    WithJsonSchema({"type": "object", "description": TIMELINE_DESCRIPTION}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScheduleActivity(_Strict):
    """An activity with the real times of each session (its own, else the program's)."""

    code: str
    name: str
    category: ActivityCategory
    am_start: time
    am_end: time
    pm_start: time
    pm_end: time
    counts_toward_hours: bool
    needs_supervision: bool
    provides_supervision: bool
    sees_patients: bool
    procedures: bool = False


class SchedulePerson(_Strict):
    id: str
    name: str
    role: Literal["resident", "faculty"]
    pgy: int | None = None


class ScheduleSummary(_Strict):
    """How the run that produced the schedule ended."""

    status: Status
    scope: Scope = "year"
    period: tuple[date, date] | None = None
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    explanation: list[Conflict] = Field(default_factory=list)


class ScheduleFile(_Strict):
    format: Literal["residency-schedule/1"] = FORMAT
    program: str
    timezone: str
    academic_year: int
    activities: list[ScheduleActivity]
    people: list[SchedulePerson]
    rotation_plan: list[PlanEntrySpec]
    assignments: list[AssignmentSpec]
    shifts: list[ShiftSpec]
    timeline: TimelineDocument
    summary: ScheduleSummary

    @field_validator("timeline")
    @classmethod
    def _usable_timeline(cls, value: dict[str, Any]) -> dict[str, Any]:
        """The timeline as JSON, checked to be a usable duty timeline."""
        try:
            parse_timeline(value)
        except TimelineError as error:
            raise ValueError(str(error)) from None
        return value

    @classmethod
    def from_result(cls, program: ProgramFile, result: SolveResult) -> ScheduleFile:
        """The schedule file of a solve result (its timeline derived from its rows)."""
        snapshot = result_to_snapshot(program, result)
        return cls(
            program=program.name,
            timezone=program.timezone,
            academic_year=program.academic_year,
            activities=_activities(program),
            people=[
                SchedulePerson(id=p.id, name=p.name, role=p.role.value, pgy=p.pgy)
                for p in program.people
            ],
            rotation_plan=result.rotation_plan,
            assignments=result.assignments,
            shifts=result.shifts,
            timeline=duty_timeline(snapshot),
            summary=ScheduleSummary(
                status=result.status,
                scope=result.scope,
                period=result.period,
                objective=result.objective,
                bound=result.bound,
                gap=result.gap,
                seconds=result.seconds,
                explanation=result.explanation,
            ),
        )


def _activities(program: ProgramFile) -> list[ScheduleActivity]:
    snapshot = base_snapshot(program)
    found = []
    for spec in program.activities:
        info = activity_info(spec)
        am = snapshot.session_times(info, Session.AM)
        pm = snapshot.session_times(info, Session.PM)
        found.append(
            ScheduleActivity(
                code=spec.code,
                name=spec.name,
                category=spec.category,
                am_start=am[0],
                am_end=am[1],
                pm_start=pm[0],
                pm_end=pm[1],
                counts_toward_hours=spec.counts_toward_hours,
                needs_supervision=spec.needs_supervision,
                provides_supervision=spec.provides_supervision,
                sees_patients=spec.sees_patients,
                procedures=spec.procedures,
            )
        )
    return found
