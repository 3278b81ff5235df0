"""Faculty FMIT weeks over the year: one attending per Friday-Thursday week.

Rules (ACGME.md `fmit_week`, `leave_eligibility`): exactly one attending per week, only
the program's `fmit_faculty_roles`; never two weeks back to back; never during approved
leave (an FMIT week is work on all seven days). Objective: balanced counts (about
`fmit_weeks_per_faculty` each), holiday weeks shared, pending leave requests honoured,
and a one-week gap between weeks avoided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ortools.sat.python import cp_model

from residency.core.calendar import iter_days
from residency.scheduling.objectives import balance
from residency.scheduling.problem import Problem
from residency.scheduling.rows import RowIndex
from residency.scheduling.rulebook import RuleBook

WEEK = timedelta(days=7)
SPACING_COST = 1


@dataclass
class FmitModel:
    """The FMIT-week model: one literal per (faculty, week to decide)."""

    problem: Problem
    decide: list[date]
    fixed: dict[date, str]
    locks: RowIndex
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    book: RuleBook = field(init=False)
    weeks: dict[tuple[str, date], cp_model.IntVar] = field(default_factory=dict)
    objective: list[tuple[int, cp_model.LinearExprT]] = field(default_factory=list)

    def eligible(self) -> list[str]:
        return [p for p in self.problem.faculty if self.problem.fmit_eligible(p)]

    def available(self, person: str, friday: date) -> bool:
        """Eligible, no approved leave in the week, no locked clinic or weekday call in it
        or clinic on the recovery Friday (`fmit_week`)."""
        problem = self.problem
        days = list(iter_days(friday, friday + timedelta(days=6)))
        if any(problem.on_leave(person, day) for day in days):
            return False
        for day in [*days, friday + WEEK]:
            if any(problem.is_clinic(row.activity) for row in self.locks.slots(person, day)):
                return False
        return not any(
            "faculty_call" in self.locks.kinds_on(person, day) and day.weekday() < 4 for day in days
        )

    def week_lit(self, person: str, friday: date) -> cp_model.IntVar | int:
        if friday in self.fixed:
            return 1 if self.fixed[friday] == person else 0
        return self.weeks.get((person, friday), 0)


def build_fmit_model(
    problem: Problem,
    decide: list[date],
    fixed: dict[date, str],
    locks: RowIndex,
    explain: bool = False,
) -> FmitModel:
    fm = FmitModel(problem, decide, fixed, locks)
    fm.book = RuleBook(fm.model, explain)
    for friday in decide:
        for person in fm.eligible():
            if fm.available(person, friday):
                fm.weeks[(person, friday)] = fm.model.new_bool_var(f"fmit[{person},{friday}]")
    add_fmit_coverage(fm)
    add_no_back_to_back(fm)
    add_fmit_fairness(fm)
    add_fmit_requests(fm)
    if fm.objective:
        fm.model.minimize(sum(weight * term for weight, term in fm.objective))
    fm.book.assume_all()
    return fm


def add_fmit_coverage(fm: FmitModel) -> None:
    """Exactly one attending (from `fmit_faculty_roles`) on every FMIT week."""
    for friday in fm.decide:
        lits = [v for (p, f), v in fm.weeks.items() if f == friday]
        message = (
            f"the FMIT week from {friday} needs one attending; {len(lits)} eligible faculty "
            "are free (not on leave, no locked clinic or call that week)."
        )
        scope = ("fmit_coverage", friday, [], [friday, friday + timedelta(days=6)], message)
        if not lits:
            fm.book.fail(*scope)
            continue
        fm.book.add(fm.model.add(sum(lits) == 1), *scope)


def add_no_back_to_back(fm: FmitModel) -> None:
    """`fmit_week`: no faculty member has two consecutive FMIT weeks."""
    fridays = sorted(set(fm.decide) | set(fm.fixed))
    for person in fm.eligible():
        for friday in fridays:
            first, second = fm.week_lit(person, friday), fm.week_lit(person, friday + WEEK)
            if isinstance(first, int) and isinstance(second, int):
                continue
            fm.book.add(
                fm.model.add(first + second <= 1),
                "fmit_week",
                (person, friday),
                [person],
                [friday, friday + WEEK],
                f"{person} cannot attend FMIT on the weeks from {friday} and {friday + WEEK}.",
            )


def add_fmit_fairness(fm: FmitModel) -> None:
    """Balance FMIT weeks (and holiday weeks) across the attending faculty; avoid a
    single week's gap between two weeks; stay near `fmit_weeks_per_faculty`."""
    weights = fm.problem.settings.objective
    holidays = set(fm.problem.holidays)

    def has_holiday(friday: date) -> bool:
        return any(day in holidays for day in iter_days(friday, friday + timedelta(days=6)))

    for weight, keep in ((weights.fmit_balance, None), (weights.holiday_balance, has_holiday)):
        if not weight:
            continue
        counts = {}
        for person in fm.eligible():
            so_far = sum(
                1 for f, p in fm.fixed.items() if p == person and (keep is None or keep(f))
            )
            lits = [
                v for (p, f), v in fm.weeks.items() if p == person and (keep is None or keep(f))
            ]
            counts[person] = (so_far, lits)
        fm.objective.append((weight, balance(fm.model, counts)))
    target = fm.problem.settings.fmit_weeks_per_faculty
    for person in fm.eligible():
        total = sum(fm.week_lit(person, f) for f in sorted(set(fm.decide) | set(fm.fixed)))
        if isinstance(total, int):
            continue
        excess = fm.model.new_int_var(0, len(fm.decide), f"fmit_excess[{person}]")
        fm.model.add(excess >= total - target)
        fm.objective.append((weights.fmit_balance, excess))
        for (p, friday), lit in fm.weeks.items():
            later = fm.week_lit(person, friday + 2 * WEEK)
            if p == person and not (isinstance(later, int) and later == 0):
                gap = fm.model.new_bool_var(f"fmit_gap[{person},{friday}]")
                fm.model.add(gap >= lit + later - 1)
                fm.objective.append((SPACING_COST, gap))


def add_fmit_requests(fm: FmitModel) -> None:
    """Honour pending leave requests: no FMIT week over requested days."""
    weight = fm.problem.settings.objective.preferences
    for (person, friday), lit in fm.weeks.items():
        asked = fm.problem.requested_leave.get(person, set())
        if weight and any(day in asked for day in iter_days(friday, friday + timedelta(days=6))):
            fm.objective.append((weight, lit))


def chosen_weeks(fm: FmitModel, solver: cp_model.CpSolver) -> dict[date, str]:
    found = dict(fm.fixed)
    for (person, friday), lit in fm.weeks.items():
        if solver.boolean_value(lit):
            found[friday] = person
    return found
