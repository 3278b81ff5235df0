"""`solve`: the rotation plan, the FMIT weeks, then each block schedule, judged as it goes.

The year is solved in phases, each a CP-SAT model: the annual rotation plan, the faculty
FMIT weeks, then the blocks in order. Each block model sees the days already fixed before
it and looks a whole block ahead, so the 28-day windows that straddle a boundary stay
satisfiable. Should a block still have no solution given the blocks kept before it, the
previous block is taken back and the two are solved together; only when that fails too
is the run infeasible, explained from assumption cores.

Every block is judged by the compliance engine and the schedule validator before it is
kept; a finding (which the exact models should never leave) is cut off and the block
solved again, so a returned schedule always passes both judges.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from ortools.sat.python import cp_model

from residency.compliance.program_rules import away_days
from residency.compliance.result import Violation
from residency.core.program_file import AssignmentSpec, PlanEntrySpec, ShiftSpec
from residency.scheduling.block_model import BlockInputs, BlockModel, Horizon
from residency.scheduling.blocks import build_block_model
from residency.scheduling.fmit_model import build_fmit_model, chosen_weeks
from residency.scheduling.interface import (
    Conflict,
    PhaseSummary,
    SolveRequest,
    SolveResult,
    Status,
)
from residency.scheduling.judge import judge, snapshot_of
from residency.scheduling.options import PlanLookup
from residency.scheduling.plan_model import build_plan_model, chosen_plan
from residency.scheduling.problem import Problem, ProgramError, build_problem
from residency.scheduling.rows import RowIndex, index_rows
from residency.scheduling.rulebook import ModelFactory, RuleBook, explain_infeasible
from residency.scheduling.runner import (
    Cancelled,
    Outcome,
    ProgressHook,
    Reporter,
    StopHook,
    run_model,
)

LOOKAHEAD_DAYS = 28
PLAN_SHARE, FMIT_SHARE = 0.2, 0.05
GAP_LIMIT = 0.01
REPAIR_ROUNDS = 3
EXPLAIN_SHARE, EXPLAIN_MIN_SECONDS = 0.25, 10.0
Rows = tuple[list[AssignmentSpec], list[ShiftSpec]]


class Stop(Exception):
    """A phase ended the solve: the result to return."""

    def __init__(self, result: SolveResult) -> None:
        super().__init__(result.status)
        self.result = result


class Infeasible(Exception):
    """A model has no solution; `factory` rebuilds it to explain why."""

    def __init__(self, name: str, factory: ModelFactory) -> None:
        super().__init__(name)
        self.name = name
        self.factory = factory


def solve(
    request: SolveRequest,
    on_progress: ProgressHook | None = None,
    should_stop: StopHook | None = None,
) -> SolveResult:
    """Generate the schedule of `request.scope`; never returns a schedule breaking a rule."""
    reporter = Reporter(on_progress, should_stop)
    try:
        problem = build_problem(request.program)
    except ProgramError as error:
        return SolveResult(status="failed", scope=request.scope, message=str(error))
    run = Run(request, problem, reporter)
    try:
        result = run.execute()
    except Stop as stop:
        result = stop.result
    except Cancelled:
        result = SolveResult(
            status="cancelled",
            scope=request.scope,
            message=f"cancelled ({reporter.name})",
            phases=run.phases,
        )
    result.seconds = round(reporter.elapsed(), 3)
    reporter.emit(fraction=1.0)
    return result


@dataclass
class Run:
    """One solve: its phases, the rows kept so far, and the time left."""

    request: SolveRequest
    problem: Problem
    reporter: Reporter
    phases: list[PhaseSummary] = field(default_factory=list)
    kept: dict[int, Rows] = field(default_factory=dict)

    def __post_init__(self) -> None:
        program, request = self.request.program, self.request
        self.deadline = time.monotonic() + request.time_limit_s
        self.locks = index_rows(
            self.problem,
            [a for a in program.assignments if a.locked] + request.locked_assignments,
            [s for s in program.shifts if s.locked] + request.locked_shifts,
        )
        self.known = self._index_known()
        self.fmit_decided: set[date] = set()

    # --- orchestration --------------------------------------------------------------

    @property
    def is_year(self) -> bool:
        return self.request.scope == "year"

    def blocks(self) -> list[int]:
        if self.is_year:
            return [b.number for b in self.problem.blocks]
        return [int(self.request.scope)]

    def period(self) -> tuple[date, date]:
        if self.is_year:
            return self.problem.year
        block = self.problem.block(int(self.request.scope))
        return block.start, block.end

    def execute(self) -> SolveResult:
        self._check_inputs()
        plan = self.solve_plan()
        weeks = self.solve_fmit()
        self.solve_blocks(plan, weeks)
        return self._result(plan, weeks)

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def _check_inputs(self) -> None:
        """Data that breaks a rule whatever the schedule: over `away_days_flag` days away."""
        snapshot = snapshot_of(self.request.program, [], [], [], self.period())
        found = [v for v in away_days(snapshot) if v.severity == "violation"]
        if found:
            self._stop(
                "infeasible",
                "input",
                "approved leave already breaks a rule",
                [_conflict_of(v) for v in found],
            )

    def _index_known(self) -> RowIndex:
        """History, locks and every block kept so far."""
        known = index_rows(
            self.problem, self.request.history_assignments, self.request.history_shifts
        )
        for rows in (self.locks.assignments, self.locks.shifts):
            for items in rows.values():
                known.add(*_split(items))
        for assignments, shifts in self.kept.values():
            known.add(assignments, shifts)
        return known

    # --- the rotation plan and the FMIT weeks -----------------------------------------

    def solve_plan(self) -> list[PlanEntrySpec]:
        """The published plan kept; the year's (or the block's missing) entries solved."""
        published = self.request.rotation_plan
        if published is None:
            published = self.request.program.rotation_plan
        kept = [e for e in published if e.locked or e.block == 0 or not self.is_year]
        fixed = {(e.person, e.block, e.half): e.rotation for e in kept}
        held = {(person, block) for person, block, _ in fixed}
        decide = [
            (person, number)
            for person in self.problem.residents
            for number in self.blocks()
            if (person, number) not in held
        ]
        if not decide:
            return sorted(kept, key=_plan_order)
        hints = {(e.person, e.block): e.rotation for e in published if not e.locked}

        def build(explain: bool) -> tuple[cp_model.CpModel, RuleBook]:
            pm = build_plan_model(self.problem, decide, fixed, hints, explain)
            return pm.model, pm.book

        budget = self._share(PLAN_SHARE if self.is_year else 0.1)
        self.reporter.begin("rotation plan", (0.0, PLAN_SHARE), budget)
        pm = build_plan_model(
            self.problem, decide, fixed, hints, checkpoint=self.reporter.checkpoint
        )
        outcome = self._solve_or_explain("rotation plan", pm.model, budget, build)
        return sorted(kept + chosen_plan(pm, outcome.solver), key=_plan_order)

    def solve_fmit(self) -> dict[date, str]:
        """FMIT weeks already fixed (history, locks) kept; the others in scope solved."""
        fixed = {
            shift.start.astimezone(self.problem.zone).date(): shift.person
            for rows in self.known.shifts.values()
            for shift in rows
            if shift.kind == "fmit_week"
        }
        first, last = self.period()
        decide = [f for f in self.problem.fmit_fridays if first <= f <= last and f not in fixed]
        if not decide or not self.problem.settings.fmit_faculty_roles:
            return fixed  # nothing to decide, or a program without an FMIT service

        def build(explain: bool) -> tuple[cp_model.CpModel, RuleBook]:
            fm = build_fmit_model(self.problem, decide, fixed, self.locks, explain)
            return fm.model, fm.book

        budget = self._share(FMIT_SHARE)
        self.reporter.begin("FMIT weeks", (PLAN_SHARE, PLAN_SHARE + FMIT_SHARE), budget)
        self.reporter.checkpoint()
        fm = build_fmit_model(self.problem, decide, fixed, self.locks)
        outcome = self._solve_or_explain("FMIT weeks", fm.model, budget, build)
        self.fmit_decided = set(decide)
        return chosen_weeks(fm, outcome.solver)

    # --- the blocks -------------------------------------------------------------------

    def solve_blocks(self, plan: list[PlanEntrySpec], weeks: dict[date, str]) -> None:
        """Each block in turn; on failure, the previous block again together with it."""
        numbers = self.blocks()
        for index, number in enumerate(numbers):
            share = 1 - PLAN_SHARE - FMIT_SHARE
            low = PLAN_SHARE + FMIT_SHARE + share * index / len(numbers)
            span = (low, low + share / len(numbers))
            try:
                self.kept[number] = self._solve_blocks([number], plan, weeks, span, index)
            except Infeasible as failure:
                if index == 0 or not self.is_year:
                    self._explain(failure)
                previous = numbers[index - 1]
                del self.kept[previous]
                self.known = self._index_known()
                try:
                    rows = self._solve_blocks([previous, number], plan, weeks, span, index)
                except Infeasible as joint:
                    self._explain(joint)
                self.kept[number] = rows
            self.known.add(*self.kept[number])

    def _solve_blocks(
        self,
        numbers: list[int],
        plan: list[PlanEntrySpec],
        weeks: dict[date, str],
        span: tuple[float, float],
        index: int,
    ) -> Rows:
        """Solve the blocks `numbers` as one horizon; judged, repaired, their rows."""
        first, last = self.problem.block(numbers[0]), self.problem.block(numbers[-1])
        name = " and ".join(f"block {n}" for n in numbers)
        horizon = self._horizon(name, first.start, last.end)
        inputs = BlockInputs(
            self.problem, PlanLookup(self.problem, plan), self.known, self.locks, weeks
        )
        budget = self.remaining() * 0.9 / max(1, len(self.blocks()) - index)
        self.reporter.begin(name, span, budget)

        def build(explain: bool) -> tuple[cp_model.CpModel, RuleBook]:
            model = build_block_model(inputs, horizon, explain)
            return model.model, model.book

        bm = build_block_model(inputs, horizon, checkpoint=self.reporter.checkpoint)
        for _ in range(REPAIR_ROUNDS + 1):
            outcome = self._solve(name, bm.model, budget, build)
            rows = bm.extract(outcome.solver)
            findings = self._judge_rows(plan, weeks, rows, first.start, last.end)
            if not findings:
                return rows
            _cut(bm, outcome.solver, findings)
        self._stop(
            "failed",
            name,
            "the block schedule kept breaking a rule after repair",
            [_conflict_of(v) for v in findings[:10]],
        )
        raise AssertionError("unreachable")

    def _horizon(self, name: str, first: date, last: date) -> Horizon:
        if not self.is_year:
            return Horizon(name, first, last, last, fixed_after=True)
        end = min(self.problem.year[1], last + timedelta(days=LOOKAHEAD_DAYS))
        return Horizon(name, first, last, end)

    # --- solving ----------------------------------------------------------------------

    def _share(self, share: float) -> float:
        return max(1.0, self.request.time_limit_s * share)

    def _solve(
        self, name: str, model: cp_model.CpModel, budget: float, build: ModelFactory
    ) -> Outcome:
        """Run a model; a cancel or a timeout ends the solve, infeasibility raises."""
        outcome = run_model(
            model,
            self.reporter,
            time_limit=min(budget, max(self.remaining(), 1.0)),
            seed=self.request.seed,
            workers=self.request.workers,
            gap_limit=GAP_LIMIT,
        )
        self.phases.append(
            PhaseSummary(
                phase=name,
                status=outcome.status,
                objective=outcome.objective,
                bound=outcome.bound,
                seconds=round(outcome.seconds, 3),
            )
        )
        if outcome.status == "cancelled":
            self._stop("cancelled", name, "cancelled")
        if outcome.status == "infeasible":
            raise Infeasible(name, build)
        if not outcome.has_solution:
            self._stop("failed", name, f"no schedule found for {name} within the time limit")
        return outcome

    def _solve_or_explain(
        self, name: str, model: cp_model.CpModel, budget: float, build: ModelFactory
    ) -> Outcome:
        try:
            return self._solve(name, model, budget, build)
        except Infeasible as failure:
            self._explain(failure)
            raise

    def _explain(self, failure: Infeasible) -> None:
        self.reporter.begin(f"explaining {failure.name}", (0.95, 1.0), EXPLAIN_MIN_SECONDS)
        seconds = max(EXPLAIN_MIN_SECONDS, self.request.time_limit_s * EXPLAIN_SHARE)
        conflicts = explain_infeasible(failure.factory, seconds, self.request.seed, failure.name)
        self._stop("infeasible", failure.name, "no schedule satisfies every rule", conflicts)

    def _stop(
        self, status: Status, phase: str, message: str, conflicts: list[Conflict] | None = None
    ) -> None:
        raise Stop(
            SolveResult(
                status=status,
                scope=self.request.scope,
                message=f"{message} ({phase})",
                explanation=conflicts or [],
                phases=self.phases,
            )
        )

    # --- judging and the result -------------------------------------------------------

    def _judge_rows(
        self,
        plan: list[PlanEntrySpec],
        weeks: dict[date, str],
        rows: Rows,
        first: date,
        last: date,
    ) -> list[Violation]:
        """Judge new rows with the 28 days before them: the duty-hour windows that end by
        `last`, and the program rules on `first`..`last`."""
        context = first - timedelta(days=28)
        before = [
            row
            for items in self.known.assignments.values()
            for row in items
            if context <= row.date < first
        ]
        shifts = [
            shift
            for items in self.known.shifts.values()
            for shift in items
            if shift.kind != "fmit_week"
            and context <= shift.start.astimezone(self.problem.zone).date() < first
        ]
        fmit = self._fmit_shifts(weeks, first - timedelta(days=7), last)
        snapshot = snapshot_of(
            self.request.program, plan, before + rows[0], shifts + rows[1] + fmit, (first, last)
        )
        window_start = max(self.problem.year[0], first - timedelta(days=27))
        return judge(snapshot, duty_period=(window_start, last))

    def _fmit_shifts(self, weeks: dict[date, str], first: date, last: date) -> list[ShiftSpec]:
        locked = {
            shift.start.astimezone(self.problem.zone).date()
            for items in self.locks.shifts.values()
            for shift in items
            if shift.kind == "fmit_week"
        }
        found = []
        for friday, person in sorted(weeks.items()):
            if first <= friday <= last:
                start, end = self.problem.fmit_span(friday)
                found.append(
                    ShiftSpec(
                        person=person,
                        kind="fmit_week",
                        start=self.problem.moment(start),
                        end=self.problem.moment(end),
                        locked=friday in locked,
                    )
                )
        return found

    def _result(self, plan: list[PlanEntrySpec], weeks: dict[date, str]) -> SolveResult:
        first, last = self.period()
        entries = plan if self.is_year else [e for e in plan if e.block == self.request.scope]
        fmit = [
            shift
            for shift in self._fmit_shifts(weeks, first, last)
            if self.is_year or shift.locked or shift.start.date() in self.fmit_decided
        ]
        assignments = [row for rows, _ in self.kept.values() for row in rows]
        shifts = [row for _, rows in self.kept.values() for row in rows] + fmit
        solved = [p for p in self.phases if p.objective is not None]
        objective = sum(p.objective or 0.0 for p in solved)
        bound = sum(p.bound or 0.0 for p in solved)
        return SolveResult(
            status="succeeded",
            scope=self.request.scope,
            period=(first, last),
            rotation_plan=entries,
            assignments=sorted(assignments, key=lambda a: (a.date, a.session, a.person)),
            shifts=sorted(shifts, key=lambda s: (s.start, s.person, s.kind)),
            objective=objective,
            bound=bound,
            gap=abs(objective - bound) / max(1.0, abs(objective)),
            phases=self.phases,
        )


def _plan_order(entry: PlanEntrySpec) -> tuple[str, int, int]:
    return entry.person, entry.block, entry.half


def _split(items: list[object]) -> Rows:
    assignments = [i for i in items if isinstance(i, AssignmentSpec)]
    shifts = [i for i in items if isinstance(i, ShiftSpec)]
    return assignments, shifts


def _conflict_of(violation: Violation) -> Conflict:
    return Conflict(
        rules=[violation.rule],
        people=[violation.person] if violation.person else [],
        dates=[violation.start.date()],
        message=violation.message,
    )


def _cut(bm: BlockModel, solver: cp_model.CpSolver, findings: list[Violation]) -> None:
    """Forbid the chosen literals around each finding (a no-good), so the next solve
    differs exactly where the judge objected."""
    for violation in findings:
        first = violation.start.date() - timedelta(days=1)
        last = violation.end.date() + timedelta(days=1)
        person = violation.person
        chosen = [
            lit
            for days in bm.residents.values()
            if not person or days.person == person
            for day, lits in days.lits.items()
            if first <= day <= last
            for lit in lits
            if not isinstance(lit, int) and solver.boolean_value(lit)
        ]
        chosen += [
            var
            for key, var in [*bm.precept.items(), *bm.faculty_calls.items()]
            if (not person or key[0] == person)
            and first <= key[1] <= last
            and solver.boolean_value(var)
        ]
        if chosen:
            bm.model.add(sum(chosen) <= len(chosen) - 1)
