"""The program file (`program.json`): everything needed to set up, load or solve a program.

People, rotations and activities refer to each other by key (a person's `id`, a
rotation's `abbreviation`, an activity's `code`), so a file can be written by hand,
exported from one database and loaded into another. `residency demo` and
`residency demo-program` produce one; its JSON Schema is `schemas/program.schema.json`.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from residency.activities.kinds import ActivityCategory
from residency.core.settings import ProgramSettings, StrictModel, WeekdayName
from residency.people.kinds import FacultyRole, PersonRole

FORMAT = "residency-program/1"
Key = str


class ActivitySpec(StrictModel):
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_+\-]{0,15}$")
    name: str
    category: ActivityCategory
    am_start: time | None = None
    am_end: time | None = None
    pm_start: time | None = None
    pm_end: time | None = None
    counts_toward_hours: bool = True
    needs_supervision: bool = False
    provides_supervision: bool = False
    sees_patients: bool = False
    procedures: bool = False
    color: str = Field("#cccccc", pattern=r"^#[0-9a-fA-F]{6}$")


class PersonSpec(StrictModel):
    id: Key = Field(min_length=1, description="stable key used by the rest of the file")
    name: str
    email: str | None = None
    role: PersonRole
    pgy: int | None = Field(None, ge=1, le=8)
    faculty_role: FacultyRole | None = None
    weekly_clinic_cap: int | None = Field(None, ge=0, le=10)


class DaySpec(StrictModel):
    AM: str | None = None
    PM: str | None = None


class RotationSpec(StrictModel):
    name: str
    abbreviation: Key
    weekly_pattern: dict[WeekdayName, DaySpec] = Field(default_factory=dict)
    min_residents: int = Field(0, ge=0)
    max_residents: int = Field(99, ge=0)
    eligible_pgy: list[int] = Field(default_factory=lambda: [1, 2, 3], min_length=1)
    leave_allowed: bool = True
    protected_education_exempt: bool = False
    heavy: bool = False
    takes_call: bool = False
    flex_activity: str | None = None


class RequirementSpec(StrictModel):
    """Yearly requirement: residents of `pgy` spend min..max blocks on `rotation`."""

    pgy: int = Field(ge=1, le=8)
    rotation: Key
    min_blocks: int = Field(0, ge=0, le=14)
    max_blocks: int | None = Field(None, ge=0, le=14)


class PlanEntrySpec(StrictModel):
    person: Key
    block: int = Field(ge=0, le=13)
    half: Literal[0, 1, 2] = 0
    rotation: Key
    locked: bool = False


class AbsenceSpec(StrictModel):
    person: Key
    kind: Literal["vacation", "sick", "conference", "parental", "medical", "bereavement", "other"]
    start_date: date
    end_date: date
    status: Literal["requested", "approved", "denied", "cancelled"] = "requested"
    reason: str | None = None


class HolidaySpec(StrictModel):
    date: date
    name: str
    clinic_level: Literal["closed", "reduced"] = "closed"


class AssignmentSpec(StrictModel):
    """A pre-set slot assignment; a locked one is kept exactly as given by the solver."""

    person: Key
    date: date
    session: Literal["AM", "PM"]
    activity: Key
    locked: bool = True


ShiftKindName = Literal["call", "night_float", "faculty_call", "fmit_week"]


class ShiftSpec(StrictModel):
    """A pre-set timed duty (aware datetimes); a locked one is kept exactly as given."""

    person: Key
    kind: ShiftKindName
    start: AwareDatetime
    end: AwareDatetime
    locked: bool = True

    @model_validator(mode="after")
    def _ends_after_start(self) -> ShiftSpec:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class ActivityRoles(StrictModel):
    """The activity codes the solver writes into the cells it generates.

    Checked when a schedule is generated (not when the file is read), so program files
    that are never solved need not define them.
    """

    continuity: Key = Field("C", description="continuity clinic for flexible cells")
    precepting: Key = Field("AT", description="faculty supervising a clinic session")
    didactics: Key = Field("LEC", description="the protected education session")
    call: Key = Field("CALL", description="resident in-house call; its AM start starts the call")
    post_call: Key = Field("PC", description="the morning after a 24-h call")
    off: Key = Field("OFF", description="the afternoon after a 24-h call")
    leave: Key = Field("LV", description="approved leave")
    holiday: Key = Field("HOL", description="a clinic session on a closed (or reduced) day")


class ProgramFile(StrictModel):
    format: Literal["residency-program/1"] = FORMAT
    name: str = Field(min_length=1, max_length=200)
    timezone: str = "America/Chicago"
    block_weekday: WeekdayName = "thursday"
    academic_year: int = Field(ge=2000, le=2100)
    settings: ProgramSettings = ProgramSettings()
    activities: list[ActivitySpec]
    people: list[PersonSpec]
    rotations: list[RotationSpec]
    requirements: list[RequirementSpec] = Field(default_factory=list)
    rotation_plan: list[PlanEntrySpec] = Field(default_factory=list)
    absences: list[AbsenceSpec] = Field(default_factory=list)
    holidays: list[HolidaySpec] = Field(default_factory=list)
    assignments: list[AssignmentSpec] = Field(
        default_factory=list, description="pre-set slot assignments (locked ones are kept)"
    )
    shifts: list[ShiftSpec] = Field(
        default_factory=list, description="pre-set shifts (locked ones are kept)"
    )
    activity_roles: ActivityRoles = ActivityRoles()

    @model_validator(mode="after")
    def _references_resolve(self) -> ProgramFile:
        problems = list(_reference_problems(self))
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _reference_problems(doc: ProgramFile) -> list[str]:
    people = {p.id for p in doc.people}
    rotations = {r.abbreviation for r in doc.rotations}
    codes = {a.code for a in doc.activities}
    found: list[str] = []
    for index, rotation in enumerate(doc.rotations):
        for day, cells in rotation.weekly_pattern.items():
            for session, code in (("AM", cells.AM), ("PM", cells.PM)):
                if code is not None and code not in codes:
                    found.append(
                        f"rotations[{index}].weekly_pattern.{day}.{session}: unknown activity "
                        f"'{code}'"
                    )
        if rotation.flex_activity is not None and rotation.flex_activity not in codes:
            found.append(
                f"rotations[{index}].flex_activity: unknown activity '{rotation.flex_activity}'"
            )
    for field, items, key, known in (
        ("rotation_plan", doc.rotation_plan, "person", people),
        ("rotation_plan", doc.rotation_plan, "rotation", rotations),
        ("requirements", doc.requirements, "rotation", rotations),
        ("absences", doc.absences, "person", people),
        ("assignments", doc.assignments, "person", people),
        ("assignments", doc.assignments, "activity", codes),
        ("shifts", doc.shifts, "person", people),
    ):
        for index, item in enumerate(items):
            value = getattr(item, key)
            if value not in known:
                found.append(f"{field}[{index}].{key}: unknown {key} '{value}'")
    return found
