"""The block model's objective: fairness, continuity and requests (never a hard rule).

Weights are the program's `ObjectiveWeights`. Fairness is measured on cumulative counts
over the academic year so far (the fixed days before the block included), as the spread
between the most and the least loaded eligible person.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from ortools.sat.python import cp_model

from residency.core.calendar import iter_days
from residency.scheduling.block_model import BlockModel, Lit

PRECEPT_COST = 1
Night = Callable[[date], bool]


def balance(
    model: cp_model.CpModel, counts: dict[str, tuple[int, list[Lit]]]
) -> cp_model.LinearExprT:
    """A convex load cost: each person's k-th new item costs their running total.

    `counts` maps a person to (items so far, literals of new items). Summing
    `so_far + k` over a person's k-th new item is a discrete sum of squares, minimised by
    the most even spread of cumulative counts; its LP relaxation is tight, so the solver
    proves optimality quickly.
    """
    cost: cp_model.LinearExprT = 0
    for person, (so_far, lits) in counts.items():
        chosen = [lit for lit in lits if not isinstance(lit, int)]
        fixed = sum(lit for lit in lits if isinstance(lit, int))
        steps = [model.new_bool_var(f"load[{person},{k}]") for k in range(len(chosen))]
        model.add(sum(steps) == sum(chosen))
        for earlier, later in itertools.pairwise(steps):
            model.add(earlier >= later)
        base = so_far + fixed
        cost += sum((base + k + 1) * step for k, step in enumerate(steps))
    return cost


def _is_weekend(night: date) -> bool:
    return night.weekday() >= 5


def _history(bm: BlockModel, person: str, kind: str, keep: Night) -> int:
    """Shifts of `kind` the person started this year before the block, on nights kept."""
    first = bm.problem.year[0]
    rows = bm.inputs.rows
    return sum(
        1
        for night in iter_days(first, bm.horizon.first - timedelta(days=1))
        if keep(night) and kind in rows.kinds_on(person, night)
    )


Counts = dict[str, tuple[int, list[Lit]]]


def _resident_calls(bm: BlockModel, keep: Night) -> Counts:
    counts: Counts = {}
    for person, days in bm.residents.items():
        lits = [days.call_lit(d) for d in bm.horizon.decided_days if keep(d)]
        if any(not isinstance(lit, int) for lit in lits):
            counts[person] = (_history(bm, person, "call", keep), lits)
    return counts


def _faculty_calls(bm: BlockModel, keep: Night) -> Counts:
    chosen: dict[str, list[Lit]] = defaultdict(list)
    for (person, night), var in bm.faculty_calls.items():
        if bm.horizon.is_decided(night) and keep(night):
            chosen[person].append(var)
    return {
        person: (_history(bm, person, "faculty_call", keep), lits)
        for person, lits in chosen.items()
    }


def add_call_fairness(bm: BlockModel) -> None:
    """Equalise calls, weekend calls and holiday calls (residents and faculty apart)."""
    weights = bm.problem.settings.objective
    holidays = bm.problem.holidays
    for weight, keep in (
        (weights.call_balance, lambda night: True),
        (weights.weekend_balance, _is_weekend),
        (weights.holiday_balance, lambda night: night in holidays),
    ):
        if weight:
            bm.objective.append((weight, balance(bm.model, _resident_calls(bm, keep))))
            bm.objective.append((weight, balance(bm.model, _faculty_calls(bm, keep))))


def add_continuity_targets(bm: BlockModel) -> None:
    """Continuity clinic half-days a week up to the PGY's target (flexible cells)."""
    problem = bm.problem
    weight = problem.settings.objective.continuity
    code = problem.roles.continuity
    if not weight:
        return
    for person, days in bm.residents.items():
        target = problem.settings.continuity_clinic_per_week.get(days.pgy, 0)
        weeks: dict[date, list[Lit]] = defaultdict(list)
        for day in bm.horizon.decided_days:
            monday = day - timedelta(days=day.weekday())
            for option, lit in days.pairs(day):
                weeks[monday] += [lit] * option.cells.count(code)
        for lits in weeks.values():
            if all(isinstance(lit, int) for lit in lits):
                continue
            short = bm.model.new_int_var(0, target, f"short[{person}]")
            bm.model.add(short >= target - sum(lits))
            bm.objective.append((weight, short))


def add_request_preferences(bm: BlockModel) -> None:
    """Honour pending leave requests: no call or precepting on requested days."""
    problem = bm.problem
    weight = problem.settings.objective.preferences
    if not weight or not problem.requested_leave:
        return
    for person, days in bm.residents.items():
        asked = problem.requested_leave.get(person, set())
        for night in bm.horizon.decided_days:
            if night in asked or night + timedelta(days=1) in asked:
                bm.objective.append((weight, days.call_lit(night)))
    for (person, night), var in bm.faculty_calls.items():
        asked = problem.requested_leave.get(person, set())
        if bm.horizon.is_decided(night) and (night in asked or night + timedelta(days=1) in asked):
            bm.objective.append((weight, var))
    for (person, day, _), var in bm.precept.items():
        if bm.horizon.is_decided(day) and day in problem.requested_leave.get(person, set()):
            bm.objective.append((weight, var))


def add_precepting_economy(bm: BlockModel) -> None:
    """No more precepting than supervision needs (faculty time is scarce)."""
    for (day, _), count in bm.preceptors.items():
        if bm.horizon.is_decided(day):
            bm.objective.append((PRECEPT_COST, count))


def set_objective(bm: BlockModel) -> None:
    if bm.objective:
        bm.model.minimize(sum(weight * term for weight, term in bm.objective))
