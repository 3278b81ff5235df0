"""The block schedule model: every person, every AM/PM slot of a block, calls and nights.

A `Horizon` is the block's days (decided), a few days after it (looked ahead over, so the
rolling-window rules stay satisfiable for the next block, but not kept) and the fixed
context around them: the 28 days before (history, so windows that straddle the boundary
hold) and, for a block re-solve, the published days after.

Residents choose one `DayOption` per day (pattern, 24-h call, post-call, leave); faculty
get precepting (AT) sessions and overnight calls. The rule families are added by the
small functions of `resident_rules`, `faculty_rules` and `objectives`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ortools.sat.python import cp_model

from residency.core.calendar import Session, fmit_week_start, iter_days
from residency.core.program_file import AssignmentSpec, ShiftSpec
from residency.scheduling.options import DayContext, DayOption, PlanLookup, fixed_option
from residency.scheduling.problem import SESSIONS, Problem
from residency.scheduling.rows import RowIndex
from residency.scheduling.rulebook import RuleBook

WINDOW = 28
Lit = cp_model.IntVar | int
Slot = tuple[date, Session]
Score = Callable[[str, str | None], int]
CALL_KINDS = frozenset({"call", "postcall"})


@dataclass
class SessionTerms:
    """A slot's weighted option literals (score, literal) and the least and most total."""

    terms: list[tuple[int, Lit]]
    least: int
    most: int

    @property
    def expr(self) -> cp_model.LinearExprT:
        return sum(score * lit for score, lit in self.terms)


@dataclass(frozen=True)
class Horizon:
    """Days decided (`first`..`last`), variable (..`lookahead_end`) and fixed around them."""

    label: str
    first: date
    last: date
    lookahead_end: date
    fixed_after: bool = False

    @property
    def context_start(self) -> date:
        return self.first - timedelta(days=WINDOW)

    @property
    def model_end(self) -> date:
        if self.fixed_after:
            return self.lookahead_end + timedelta(days=WINDOW)
        return self.lookahead_end

    @property
    def variable_days(self) -> list[date]:
        return list(iter_days(self.first, self.lookahead_end))

    @property
    def decided_days(self) -> list[date]:
        return list(iter_days(self.first, self.last))

    @property
    def model_days(self) -> list[date]:
        return list(iter_days(self.context_start, self.model_end))

    def is_variable(self, day: date) -> bool:
        return self.first <= day <= self.lookahead_end

    def is_decided(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass
class BlockInputs:
    """What a block model reads: the program, the plan, known rows, locks, FMIT weeks."""

    problem: Problem
    plan: PlanLookup
    rows: RowIndex
    locks: RowIndex
    fmit: dict[date, str]

    def fmit_attending(self, day: date) -> str | None:
        """The faculty member whose FMIT week (Friday-Thursday) contains `day`."""
        return self.fmit.get(fmit_week_start(day))

    def recovering(self, day: date) -> str | None:
        """The attending whose FMIT week ended the day before (the recovery Friday)."""
        if day.weekday() != 4:
            return None
        return self.fmit.get(day - timedelta(days=7))


@dataclass
class ResidentDays:
    """A resident's options on every model day and the literal choosing each one."""

    person: str
    pgy: int
    options: dict[date, list[DayOption]] = field(default_factory=dict)
    lits: dict[date, list[Lit]] = field(default_factory=dict)

    def pairs(self, day: date) -> list[tuple[DayOption, Lit]]:
        return list(zip(self.options.get(day, []), self.lits.get(day, []), strict=True))

    def call_lit(self, day: date) -> Lit:
        """The literal of the day's call option (0 when it has none)."""
        for option, lit in self.pairs(day):
            if option.is_call:
                return lit
        return 0

    def option_lit(self, day: date, kind: str) -> Lit | None:
        return next((lit for option, lit in self.pairs(day) if option.kind == kind), None)


class BlockModel:
    """The CP-SAT model of one horizon, its variables and objective terms."""

    def __init__(self, inputs: BlockInputs, horizon: Horizon, explain: bool = False) -> None:
        self.inputs = inputs
        self.problem: Problem = inputs.problem
        self.horizon = horizon
        self.model = cp_model.CpModel()
        self.book = RuleBook(self.model, explain)
        self.residents: dict[str, ResidentDays] = {}
        self.precept: dict[tuple[str, date, Session], cp_model.IntVar] = {}
        self.faculty_calls: dict[tuple[str, date], cp_model.IntVar] = {}
        self.preceptors: dict[Slot, cp_model.IntVar] = {}
        self.objective: list[tuple[int, cp_model.LinearExprT]] = []

    # --- residents ------------------------------------------------------------------

    def create_resident_days(self) -> None:
        """One option per resident and day (a person holds one activity per slot)."""
        context = DayContext(self.problem, self.inputs.plan, self.inputs.locks)
        for person in self.problem.residents:
            days = ResidentDays(person, self.problem.pgy(person))
            for day in self.horizon.model_days:
                if self.horizon.is_variable(day):
                    before = days.options.get(day - timedelta(days=1), [])
                    call_before = any(option.is_call for option in before)
                    options = context.options(person, day, call_before)
                else:
                    options = [fixed_option(self.problem, self.inputs.rows, person, day)]
                days.options[day] = options
                days.lits[day] = self._choice(person, day, len(options))
            self.residents[person] = days

    def _choice(self, person: str, day: date, count: int) -> list[Lit]:
        if count == 1:
            return [1]
        lits = [self.model.new_bool_var(f"opt[{person},{day},{k}]") for k in range(count)]
        self.model.add_exactly_one(lits)
        return lits

    # --- faculty --------------------------------------------------------------------

    def locked_cell(self, person: str, day: date, session: Session) -> AssignmentSpec | None:
        return self.inputs.locks.cell(person, day, session.value)

    def known_cell(self, person: str, day: date, session: Session) -> str | None:
        """A faculty member's activity in a slot outside the variable days (or locked)."""
        row = (
            self.locked_cell(person, day, session)
            if self.horizon.is_variable(day)
            else self.inputs.rows.cell(person, day, session.value)
        )
        return None if row is None else row.activity

    def can_precept(self, person: str, day: date, session: Session) -> bool:
        """Free to supervise a clinic session: not on leave, FMIT or its recovery Friday,
        no locked activity in the slot, the clinic open and a clinic cap above zero."""
        problem = self.problem
        return (
            not problem.on_leave(person, day)
            and self.inputs.fmit_attending(day) != person
            and self.inputs.recovering(day) != person
            and self.locked_cell(person, day, session) is None
            and problem.clinic_capacity(day) > 0
            and problem.clinic_cap(person) != 0
        )

    def can_take_call(self, person: str, night: date) -> bool:
        """Free for overnight call: no leave that night or the morning after, not the FMIT
        attending that week (`fmit_week`: no weekday call during FMIT)."""
        problem = self.problem
        return (
            not problem.on_leave(person, night)
            and not problem.on_leave(person, night + timedelta(days=1))
            and self.inputs.fmit_attending(night) != person
        )

    def locked_faculty_calls(self, night: date) -> list[str]:
        return [
            person
            for person in self.problem.faculty
            if "faculty_call" in self._shift_kinds(person, night)
        ]

    def _shift_kinds(self, person: str, day: date) -> set[str]:
        source = self.inputs.locks if self.horizon.is_variable(day) else self.inputs.rows
        return source.kinds_on(person, day)

    # --- session terms --------------------------------------------------------------

    def session_terms(self, day: date, session: Session, weight: Score) -> SessionTerms:
        """Weighted options holding something in a slot, with the least and most total.

        `weight(person, code) -> int` scores the activity a resident holds. The least
        total counts that only one resident starts a call on a night and one is post-call
        the next day, which the coverage rule guarantees (so not when explaining, where
        coverage may be relaxed, nor after fixed calls, whose post-call days are forced).
        """
        found = SessionTerms([], 0, 0)
        exclusive = {"call"} if self.horizon.is_variable(day) else set()
        if self.horizon.is_variable(day - timedelta(days=1)):
            exclusive.add("postcall")
        drops: dict[str, list[int]] = {kind: [0] for kind in CALL_KINDS}
        for person, days in self.residents.items():
            scores = [
                (weight(person, option.cell(session)), lit, option.kind)
                for option, lit in days.pairs(day)
            ]
            found.terms += [(score, lit) for score, lit, _ in scores if score]
            found.most += max(score for score, _, _ in scores)
            usual = [score for score, _, kind in scores if kind not in exclusive]
            if not usual or self.book.explain:
                found.least += min(score for score, _, _ in scores)
                continue
            found.least += min(usual)
            for score, _, kind in scores:
                if kind in exclusive:
                    drops[kind].append(min(usual) - score)
        found.least -= sum(max(values) for values in drops.values())
        return found

    # --- result ---------------------------------------------------------------------

    def extract(self, solver: cp_model.CpSolver) -> tuple[list[AssignmentSpec], list[ShiftSpec]]:
        """The decided days' rows from a solution."""
        assignments: list[AssignmentSpec] = []
        shifts: list[ShiftSpec] = []
        for days in self.residents.values():
            for day in self.horizon.decided_days:
                option = self._chosen(solver, days, day)
                assignments += self._resident_cells(days.person, day, option)
                shifts += self._resident_shifts(days.person, day, option)
        for person in self.problem.faculty:
            for day in self.horizon.decided_days:
                assignments += self._faculty_cells(solver, person, day)
                shifts += self._faculty_shifts(solver, person, day)
        return assignments, shifts

    @staticmethod
    def _chosen(solver: cp_model.CpSolver, days: ResidentDays, day: date) -> DayOption:
        for option, lit in days.pairs(day):
            if isinstance(lit, int) or solver.boolean_value(lit):
                return option
        raise AssertionError(f"no option chosen for {days.person} on {day}")

    def _resident_cells(self, person: str, day: date, option: DayOption) -> list[AssignmentSpec]:
        return [
            AssignmentSpec(
                person=person,
                date=day,
                session=session.value,
                activity=code,
                locked=locked,
            )
            for session, code, locked in zip(SESSIONS, option.cells, option.locked, strict=True)
            if code is not None
        ]

    def _resident_shifts(self, person: str, day: date, option: DayOption) -> list[ShiftSpec]:
        problem = self.problem
        locked = self.inputs.locks.shifts_on(person, day)
        found = [s for s in locked if s.kind != "call"]
        if option.call is not None:
            is_locked = any(s.kind == "call" for s in locked)
            start, end = option.call
            found.append(
                ShiftSpec(
                    person=person,
                    kind="call",
                    start=problem.moment(start),
                    end=problem.moment(end),
                    locked=is_locked,
                )
            )
        return found

    def _faculty_cells(
        self, solver: cp_model.CpSolver, person: str, day: date
    ) -> list[AssignmentSpec]:
        found = []
        for session in SESSIONS:
            locked = self.locked_cell(person, day, session)
            var = self.precept.get((person, day, session))
            if locked is not None:
                found.append(locked)
            elif var is not None and solver.boolean_value(var):
                code = self.problem.roles.precepting
                found.append(
                    AssignmentSpec(
                        person=person, date=day, session=session.value, activity=code, locked=False
                    )
                )
            elif self.problem.on_leave(person, day):
                code = self.problem.roles.leave
                found.append(
                    AssignmentSpec(
                        person=person, date=day, session=session.value, activity=code, locked=True
                    )
                )
        return found

    def _faculty_shifts(self, solver: cp_model.CpSolver, person: str, day: date) -> list[ShiftSpec]:
        found = [s for s in self.inputs.locks.shifts_on(person, day) if s.kind != "fmit_week"]
        var = self.faculty_calls.get((person, day))
        if var is not None and solver.boolean_value(var):
            start, end = self.problem.faculty_call_span(day)
            found.append(
                ShiftSpec(
                    person=person,
                    kind="faculty_call",
                    start=self.problem.moment(start),
                    end=self.problem.moment(end),
                    locked=False,
                )
            )
        return found
