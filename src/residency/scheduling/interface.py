"""The solver's public contract: request, progress, result (plain pydantic data).

Everything here is JSON-able and picklable, so a request can be shipped to a process pool
or a worker and the result shipped back.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from residency.core.program_file import AssignmentSpec, PlanEntrySpec, ProgramFile, ShiftSpec

Scope = Literal["year"] | Annotated[int, Field(ge=0, le=13)]
Status = Literal["succeeded", "infeasible", "cancelled", "failed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SolveRequest(_Model):
    """What to solve: a program, a scope (the year or one block), limits and fixed rows.

    - `locked_assignments` / `locked_shifts`: rows inside the scope kept exactly as given
      (added to the program file's own locked `assignments` / `shifts`);
    - `history_assignments` / `history_shifts`: the published schedule outside the scope
      (earlier blocks, and later ones for a block re-solve), so rolling-window rules hold
      across block boundaries;
    - `rotation_plan`: the published plan for a block re-solve (default: the program's).
    """

    program: ProgramFile
    scope: Scope = "year"
    time_limit_s: float = Field(60.0, gt=0, le=86_400)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    workers: int = Field(2, ge=1, le=64)
    locked_assignments: list[AssignmentSpec] = Field(default_factory=list)
    locked_shifts: list[ShiftSpec] = Field(default_factory=list)
    history_assignments: list[AssignmentSpec] = Field(default_factory=list)
    history_shifts: list[ShiftSpec] = Field(default_factory=list)
    rotation_plan: list[PlanEntrySpec] | None = None

    @model_validator(mode="after")
    def _references_resolve(self) -> SolveRequest:
        problems = list(_row_problems(self))
        if problems:
            raise ValueError("; ".join(problems[:10]))
        return self


def _row_problems(request: SolveRequest) -> list[str]:
    people = {p.id for p in request.program.people}
    codes = {a.code for a in request.program.activities}
    rotations = {r.abbreviation for r in request.program.rotations}
    found: list[str] = []
    for field in ("locked_assignments", "history_assignments"):
        for index, row in enumerate(getattr(request, field)):
            if row.person not in people:
                found.append(f"{field}[{index}].person: unknown person '{row.person}'")
            if row.activity not in codes:
                found.append(f"{field}[{index}].activity: unknown activity '{row.activity}'")
    for field in ("locked_shifts", "history_shifts"):
        for index, row in enumerate(getattr(request, field)):
            if row.person not in people:
                found.append(f"{field}[{index}].person: unknown person '{row.person}'")
    for index, entry in enumerate(request.rotation_plan or []):
        if entry.person not in people:
            found.append(f"rotation_plan[{index}].person: unknown person '{entry.person}'")
        if entry.rotation not in rotations:
            found.append(f"rotation_plan[{index}].rotation: unknown rotation '{entry.rotation}'")
    return found


class SolveProgress(_Model):
    """A progress report: the phase, the incumbent objective, the bound and the gap."""

    phase: str
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    elapsed_s: float = 0.0
    fraction: float = Field(0.0, ge=0.0, le=1.0)


class Conflict(_Model):
    """One reason no compliant schedule exists: the rules, the people and the dates."""

    rules: list[str]
    people: list[str] = Field(default_factory=list)
    dates: list[date] = Field(default_factory=list)
    message: str


class PhaseSummary(_Model):
    """How one phase of the solve (plan, FMIT weeks, a block) ended."""

    phase: str
    status: str
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0


class SolveResult(_Model):
    """The outcome of a solve. Only a `succeeded` result carries a schedule."""

    status: Status
    scope: Scope = "year"
    period: tuple[date, date] | None = None
    rotation_plan: list[PlanEntrySpec] = Field(default_factory=list)
    assignments: list[AssignmentSpec] = Field(default_factory=list)
    shifts: list[ShiftSpec] = Field(default_factory=list)
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    explanation: list[Conflict] = Field(default_factory=list)
    message: str | None = None
    phases: list[PhaseSummary] = Field(default_factory=list)
