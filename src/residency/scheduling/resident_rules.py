"""Residents' duty-hour and call rules in the block model, one function per rule family.

Per resident and day, the hours, the free-day flag, the calls and night-float nights are
exact linear functions of the chosen options (an option's own intervals inside the day
plus what the previous day's option spills past midnight, united, so no hour counts
twice). The 28-day windows W(d) of ACGME.md use the fixed days before the block too.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from ortools.sat.python import cp_model

from residency.scheduling.block_model import WINDOW, BlockModel, Lit, ResidentDays
from residency.scheduling.options import EMPTY, DayOption
from residency.scheduling.periods import Sequence3, period_violations
from residency.scheduling.spans import measure, overlaps, starts_in

HOUR = 3600


def _is_const(lit: Lit) -> bool:
    return isinstance(lit, int)


def _describe(option: DayOption, day: date) -> str:
    if option.is_call:
        return f"24-h call on {day}"
    if option.kind == "postcall":
        return f"post-call {day}"
    cells = "/".join(code or "-" for code in option.cells)
    return f"{cells} on {day}"


def add_post_call_rest(bm: BlockModel) -> None:
    """`rest_after_24` (CPR VI.F.8.b.2): a 24-h call is followed by a post-call day.

    The call ends at 07:00; 14 hours free means no work that day, so the day after a
    call is post-call (PC/OFF). A post-call day only ever follows a call.
    """
    for days in bm.residents.values():
        for day in bm.horizon.variable_days:
            post = days.option_lit(day, "postcall")
            if post is None:
                continue
            call = days.call_lit(day - timedelta(days=1))
            if not _is_const(call):
                bm.model.add(post <= call)
            bm.book.add(
                bm.model.add(post >= call),
                "rest_after_24",
                (days.person, day),
                [days.person],
                [day - timedelta(days=1), day],
                f"{days.person} needs the day after a 24-h call off ({day}).",
            )


def add_duty_period_rules(bm: BlockModel) -> None:
    """`continuous_duty`, `transition_time`, `rest_after_24` (CPR VI.F.8.c, VI.F.8.b.2).

    Every combination of options on three consecutive days touching the variable days is
    judged by the compliance engine; each violating combination is forbidden.
    """
    sequences: list[Sequence3] = []
    combos: list[tuple[ResidentDays, date, tuple[int, ...]]] = []
    horizon = bm.horizon
    centers = [horizon.first - timedelta(days=1), *horizon.variable_days]
    centers.append(horizon.lookahead_end + timedelta(days=1))
    for days in bm.residents.values():
        for center in centers:
            triple = [center + timedelta(days=k) for k in (-1, 0, 1)]
            if not any(horizon.is_variable(day) for day in triple):
                continue
            choices = [days.options.get(day, [EMPTY]) for day in triple]
            for combo in itertools.product(*(range(len(c)) for c in choices)):
                duties = tuple(d for c, k in zip(choices, combo, strict=True) for d in c[k].duties)
                sequences.append(Sequence3(days.person, days.pgy, duties))
                combos.append((days, center, combo))
    problem = bm.problem
    broken = period_violations(
        sequences, problem.settings.duty_hours, problem.program.timezone, horizon.first
    )
    for index, rules in broken.items():
        days, center, combo = combos[index]
        _forbid(bm, days, center, combo, rules)


def _forbid(
    bm: BlockModel, days: ResidentDays, center: date, combo: tuple[int, ...], rules: tuple[str, ...]
) -> None:
    triple = [center + timedelta(days=k) for k in (-1, 0, 1)]
    lits: list[cp_model.IntVar] = []
    parts: list[str] = []
    for day, k in zip(triple, combo, strict=True):
        options = days.options.get(day, [EMPTY])
        lit = days.lits.get(day, [1])[k]
        if options[k].duties:
            parts.append(_describe(options[k], day))
        if not _is_const(lit):
            lits.append(lit)  # type: ignore[arg-type]
    message = f"{days.person}: {' then '.join(parts) or 'these days'} break {', '.join(rules)}."
    scope = (days.person, center)
    args = (rules[0], scope, [days.person], triple, message)
    if not lits:
        bm.book.fail(*args)
        return
    bm.book.add(bm.model.add(sum(lits) <= len(lits) - 1), *args)


@dataclass(frozen=True)
class Term:
    """A per-day quantity: a linear expression (or a number) and its least and most value."""

    expr: cp_model.LinearExprT
    least: int
    most: int

    @classmethod
    def of(cls, pairs: list[tuple[int, Lit]], offset: int = 0) -> Term:
        """Sum of value x literal over one day's options (exactly one is chosen)."""
        values = [value for value, _ in pairs] or [0]
        if all(_is_const(lit) for _, lit in pairs):
            total = offset + sum(value * lit for value, lit in pairs)  # type: ignore[misc]
            return cls(total, total, total)
        expr = cp_model.LinearExpr.weighted_sum([lit for _, lit in pairs], values) + offset
        return cls(expr, offset + min(values), offset + max(values))


ZERO = Term(0, 0, 0)
ONE = Term(1, 1, 1)


@dataclass
class DayTerms:
    """One resident's per-day quantities: work seconds, free day, calls, night-float nights."""

    seconds: dict[date, Term]
    free: dict[date, Term]
    calls: dict[date, Term]
    nights: dict[date, Term]


def day_terms(bm: BlockModel, days: ResidentDays) -> DayTerms:
    """The exact per-day quantities of a resident over the model days."""
    terms = DayTerms({}, {}, {}, {})
    for day in bm.horizon.model_days:
        lo, hi = bm.problem.midnight(day), bm.problem.midnight(day + timedelta(days=1))
        previous = days.pairs(day - timedelta(days=1)) or [(EMPTY, 1)]
        current = days.pairs(day)
        terms.seconds[day] = _seconds(bm, previous, current, lo, hi, f"{days.person},{day}")
        terms.free[day] = _free(bm, previous, current, lo, hi)
        terms.calls[day] = Term.of(
            [(_starts(o, "in_house_call", lo, hi), lit) for o, lit in current]
        )
        terms.nights[day] = Term.of(
            [(min(1, _starts(o, "night_float", lo, hi)), lit) for o, lit in current]
        )
    return terms


def _starts(option: DayOption, kind: str, lo: int, hi: int) -> int:
    return starts_in((d.start for d in option.duties if d.kind == kind), lo, hi)


def _work(option: DayOption) -> list[tuple[int, int]]:
    return [(d.start, d.end) for d in option.duties if d.is_work]


def _seconds(
    bm: BlockModel,
    previous: list[tuple[DayOption, Lit]],
    current: list[tuple[DayOption, Lit]],
    lo: int,
    hi: int,
    name: str,
) -> Term:
    """Work seconds inside [lo, hi): own + spill - overlap, per pair of options."""
    own = [(measure(_work(option), lo, hi), lit) for option, lit in current]
    spill = [(measure(_work(option), lo, hi), lit) for option, lit in previous]
    if all(_is_const(lit) for _, lit in previous):
        offset = sum(value for value, _ in spill)
        pairs = [
            (value + offset - _overlap(previous[0][0], option, lo, hi), lit)
            for (value, lit), (option, _) in zip(own, current, strict=True)
        ]
        return Term.of(pairs)
    mine, theirs = Term.of(own), Term.of(spill)
    expr, least, most = mine.expr + theirs.expr, 0, mine.most + theirs.most
    for (prev, p_lit), (cur, c_lit) in itertools.product(previous, current):
        overlap = _overlap(prev, cur, lo, hi)
        if not overlap:
            continue
        if _is_const(c_lit):
            expr -= overlap * p_lit
            continue
        both = bm.model.new_bool_var(f"both[{name}]")
        bm.model.add(both <= p_lit)
        bm.model.add(both <= c_lit)
        expr -= overlap * both
    return Term(expr, least, most)


def _overlap(previous: DayOption, current: DayOption, lo: int, hi: int) -> int:
    spill, own = _work(previous), _work(current)
    return measure(spill, lo, hi) + measure(own, lo, hi) - measure(spill + own, lo, hi)


def _free(
    bm: BlockModel,
    previous: list[tuple[DayOption, Lit]],
    current: list[tuple[DayOption, Lit]],
    lo: int,
    hi: int,
) -> Term:
    """1 when no duty of any kind overlaps the day (`day_off`'s free day)."""
    own_clear = [lit for o, lit in current if not _touches(o, lo, hi)]
    spill_clear = [lit for o, lit in previous if not _touches(o, lo, hi)]
    if not own_clear or not spill_clear:
        return ZERO
    everything = len(own_clear) == len(current) and len(spill_clear) == len(previous)
    if everything and all(_is_const(lit) for lit in own_clear + spill_clear):
        return ONE
    free = bm.model.new_bool_var("free")
    bm.model.add(free <= sum(own_clear))
    bm.model.add(free <= sum(spill_clear))
    return Term(free, 0, 1)


def _touches(option: DayOption, lo: int, hi: int) -> bool:
    return overlaps([(d.start, d.end) for d in option.duties], lo, hi)


def _windows(bm: BlockModel) -> list[list[date]]:
    """The 28-day windows the judge evaluates that the model can change, as day lists."""
    horizon, (year_start, year_end) = bm.horizon, bm.problem.year
    first = max(year_start, horizon.first - timedelta(days=WINDOW - 1))
    last = min(year_end - timedelta(days=WINDOW - 1), horizon.lookahead_end)
    return [
        [first + timedelta(days=k + i) for i in range(WINDOW)]
        for k in range((last - first).days + 1)
    ]


def _window(terms: dict[date, Term], days: list[date], unknown: Term) -> Term:
    """The sum of a window's terms (days the model does not know count as `unknown`)."""
    parts = [terms.get(day, unknown) for day in days]
    variable = [part.expr for part in parts if not isinstance(part.expr, int)]
    constant = sum(part.expr for part in parts if isinstance(part.expr, int))  # type: ignore[misc]
    expr = cp_model.LinearExpr.sum(variable) + constant if variable else constant
    return Term(expr, sum(p.least for p in parts), sum(p.most for p in parts))


def add_hours_80(bm: BlockModel, all_terms: dict[str, DayTerms]) -> None:
    """`hours_80` (CPR VI.F.8.a): work in every window W(d) at most 4 x 80 = 320 hours.

    Days after the known ones count as zero hours (a necessary condition; the next
    block's model sees them as history).
    """
    limit = int(bm.problem.settings.duty_hours.max_hours_per_28 * HOUR)
    for person, terms in all_terms.items():
        for days in _windows(bm):
            total = _window(terms.seconds, days, ZERO)
            if total.most > limit:
                _require(
                    bm,
                    total,
                    None,
                    limit,
                    "hours_80",
                    person,
                    days,
                    f"{person}: more than {limit // HOUR} h in the 28 days from {days[0]}.",
                )


def add_day_off(bm: BlockModel, all_terms: dict[str, DayTerms]) -> None:
    """`day_off` (CPR VI.F.8.b.3): at least 4 free days in every window W(d).

    A free day has no duty of any kind overlapping it (a night ending at 07:00 makes its
    morning's day busy). Unknown days after the horizon count as free.
    """
    need = bm.problem.settings.duty_hours.min_free_days_per_28
    for person, terms in all_terms.items():
        for days in _windows(bm):
            total = _window(terms.free, days, ONE)
            if total.least < need:
                _require(
                    bm,
                    total,
                    need,
                    None,
                    "day_off",
                    person,
                    days,
                    f"{person}: fewer than {need} free days in the 28 days from {days[0]}.",
                )


def add_call_frequency(bm: BlockModel, all_terms: dict[str, DayTerms]) -> None:
    """`call_frequency` (CPR VI.F.8.f): in-house call at most every third night:
    at most floor(28 / 3) = 9 calls starting in any window W(d)."""
    most = bm.problem.settings.duty_hours.max_calls_per_28
    for person, terms in all_terms.items():
        for days in _windows(bm):
            total = _window(terms.calls, days, ZERO)
            if total.most > most:
                _require(
                    bm,
                    total,
                    None,
                    most,
                    "call_frequency",
                    person,
                    days,
                    f"{person}: more than {most} in-house calls in the 28 days from {days[0]}.",
                )


def add_night_float_limit(bm: BlockModel, all_terms: dict[str, DayTerms]) -> None:
    """`night_float_consecutive` (CPR VI.F.8.e, program rule): at most 6 consecutive
    nights of night float (local dates on which a night starts)."""
    most = bm.problem.settings.duty_hours.max_consecutive_night_float
    horizon = bm.horizon
    first = horizon.first - timedelta(days=most)
    runs = [
        [first + timedelta(days=offset + k) for k in range(most + 1)]
        for offset in range((horizon.lookahead_end - first).days + 1)
    ]
    for person, terms in all_terms.items():
        for run in runs:
            total = _window(terms.nights, run, ZERO)
            if total.most > most:
                _require(
                    bm,
                    total,
                    None,
                    most,
                    "night_float_consecutive",
                    person,
                    run,
                    f"{person}: more than {most} consecutive night-float nights from {run[0]}.",
                )


def _require(
    bm: BlockModel,
    total: Term,
    low: int | None,
    high: int | None,
    rule: str,
    person: str,
    days: list[date],
    message: str,
) -> None:
    """Bound a window's total, or fail the rule when fixed days alone break it."""
    scope = (rule, (person, days[0]), [person], [days[0], days[-1]], message)
    if isinstance(total.expr, int):
        if (low is not None and total.expr < low) or (high is not None and total.expr > high):
            bm.book.fail(*scope)
        return
    lo = -(2**40) if low is None else low
    hi = 2**40 if high is None else high
    bm.book.add(bm.model.add_linear_constraint(total.expr, lo, hi), *scope)


def add_resident_call_coverage(bm: BlockModel) -> None:
    """One resident on 24-h in-house call every `resident_call_nights` night (program
    setting; night float covers the other nights), from residents on rotations that
    take call."""
    problem = bm.problem
    for night in bm.horizon.variable_days:
        if not problem.is_resident_call_night(night):
            continue
        lits = [days.call_lit(night) for days in bm.residents.values()]
        lits = [lit for lit in lits if not (_is_const(lit) and lit == 0)]
        message = (
            f"{night} ({night:%A}) needs one resident on in-house call; "
            f"{len(lits)} resident(s) can take it."
        )
        scope = ("resident_call_coverage", night, [], [night], message)
        if not lits:
            bm.book.fail(*scope)
            continue
        if all(_is_const(lit) for lit in lits):
            if sum(lits) != 1:
                bm.book.fail(*scope)
            continue
        bm.book.add(bm.model.add(sum(lits) == 1), *scope)
