"""The duty-hour rules of ACGME.md, one function each, evaluated on an `EngineContext`.

Every rule returns its findings as `Violation` objects; only offending items are built.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from residency.compliance import arrays as codes
from residency.compliance.context import HOUR, WINDOW_DAYS, EngineContext, Windows
from residency.compliance.intervals import day_counts, day_covered, day_seconds, runs, window_sums
from residency.compliance.result import Severity, Violation
from residency.compliance.settings import LONG_PERIOD_HOURS

Rule = Callable[[EngineContext], list[Violation]]
Describe = Callable[[float], tuple[float, str]]


def _windows(ctx: EngineContext) -> Windows | None:
    """The 28-day windows, or None when there is nothing to evaluate."""
    return ctx.windows if ctx.n_rows else None


def _window_findings(
    ctx: EngineContext,
    rule: str,
    violating: np.ndarray,
    values: np.ndarray,
    worst: np.ufunc,
    limit: float,
    describe: Describe,
) -> list[Violation]:
    """One finding per run of consecutive violating windows, valued by its worst window."""
    windows = ctx.windows
    assert windows is not None
    found = runs(violating, values, worst)
    findings = []
    for row, first, last, raw in zip(found.row, found.first, found.last, found.worst, strict=True):
        value, text = describe(float(raw))
        span = (windows.midnights[first], windows.midnights[last + WINDOW_DAYS])
        findings.append(ctx.finding(rule, row, span, value, limit, text))
    return findings


def hours_80(ctx: EngineContext) -> list[Violation]:
    """VI.F.8.a — 80 hours per week, averaged over four weeks (rule ``hours_80``).

    For every window W(d), the resident's united work inside it must not exceed
    4 x `max_weekly_hours` (320 h); exactly the limit complies.
    """
    windows = _windows(ctx)
    if windows is None:
        return []
    per_day = day_seconds(ctx.work, windows.midnights, ctx.n_rows)
    totals = window_sums(per_day, WINDOW_DAYS)
    limit = ctx.settings.max_hours_per_28

    def describe(seconds: float) -> tuple[float, str]:
        hours = seconds / HOUR
        return hours, f"{hours:.2f} h of work in a 28-day window (limit {limit:g} h)"

    violating = totals > limit * HOUR
    return _window_findings(ctx, "hours_80", violating, totals, np.maximum, limit, describe)


def day_off(ctx: EngineContext) -> list[Violation]:
    """VI.F.8.b.3 — one day in seven free, averaged over four weeks (rule ``day_off``).

    A free day is a local calendar day that no duty of any kind (home call included)
    overlaps for a positive length; every W(d) needs `min_free_days_per_28` of them.
    """
    windows = _windows(ctx)
    if windows is None:
        return []
    busy = day_covered(ctx.duties, windows.midnights, ctx.n_rows).astype(np.int64)
    free = WINDOW_DAYS - window_sums(busy, WINDOW_DAYS)
    limit = ctx.settings.min_free_days_per_28

    def describe(days: float) -> tuple[float, str]:
        return days, f"{int(days)} free days in a 28-day window (at least {limit} required)"

    violating = free < limit
    return _window_findings(ctx, "day_off", violating, free, np.minimum, limit, describe)


def call_frequency(ctx: EngineContext) -> list[Violation]:
    """VI.F.8.f — in-house call no more often than every third night (``call_frequency``).

    Counts `in_house_call` duties by the local date they start; a window W(d) may hold at
    most floor(28 / `call_every_nth_night`) of them (9 by default).
    """
    windows = _windows(ctx)
    if windows is None:
        return []
    calls = ctx.of_kind(codes.IN_HOUSE_CALL)
    day = np.searchsorted(windows.midnights, calls.start, side="right") - 1
    per_day = day_counts(calls.row, day, ctx.n_rows, windows.n_days)
    counts = window_sums(per_day, WINDOW_DAYS)
    limit = ctx.settings.max_calls_per_28

    def describe(count: float) -> tuple[float, str]:
        return count, f"{int(count)} in-house calls in a 28-day window (at most {limit})"

    violating = counts > limit
    return _window_findings(ctx, "call_frequency", violating, counts, np.maximum, limit, describe)


def continuous_duty(ctx: EngineContext) -> list[Violation]:
    """VI.F.8.c — continuous clinical duty at most 24 hours (rule ``continuous_duty``).

    In one duty period, the hours of non-`transition` work must not exceed
    `max_continuous_hours`, or `pgy1_max_continuous_hours` for PGY-1 when that is set.
    """
    periods = ctx.periods.spans
    limits = _continuous_limits(ctx)[periods.row]
    seconds = ctx.continuous_seconds
    findings = []
    for i in np.flatnonzero(seconds > limits * HOUR):
        hours, limit = seconds[i] / HOUR, float(limits[i])
        text = f"{hours:.2f} h of continuous duty in one duty period (limit {limit:g} h)"
        span = (periods.start[i], periods.end[i])
        findings.append(ctx.finding("continuous_duty", periods.row[i], span, hours, limit, text))
    return findings


def _continuous_limits(ctx: EngineContext) -> np.ndarray:
    """Per resident row, the `continuous_duty` limit in hours."""
    settings = ctx.settings
    limits = np.full(ctx.n_rows, settings.max_continuous_hours, dtype=np.float64)
    if settings.pgy1_max_continuous_hours is not None:
        limits[ctx.pgy == 1] = settings.pgy1_max_continuous_hours
    return limits


def transition_time(ctx: EngineContext) -> list[Violation]:
    """VI.F.8.c — up to 4 more hours for transitions (rule ``transition_time``).

    A duty period's whole length must not exceed `max_continuous_hours` +
    `max_transition_hours` (24 + 4 = 28 h).
    """
    periods = ctx.periods.spans
    limit = ctx.settings.transition_limit_hours
    findings = []
    for i in np.flatnonzero(periods.length > limit * HOUR):
        hours = periods.length[i] / HOUR
        text = f"duty period of {hours:.2f} h including transitions (limit {limit:g} h)"
        span = (periods.start[i], periods.end[i])
        findings.append(ctx.finding("transition_time", periods.row[i], span, hours, limit, text))
    return findings


def _gaps(ctx: EngineContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gaps between a resident's consecutive duty periods: (index before, seconds, long).

    `long` flags gaps that follow a duty period of 24 h or more, which `rest_after_24`
    governs.
    """
    periods = ctx.periods.spans
    before = np.flatnonzero(periods.row[1:] == periods.row[:-1])
    seconds = periods.start[before + 1] - periods.end[before]
    long = periods.length[before] >= LONG_PERIOD_HOURS * HOUR
    return before, seconds, long


def _gap_findings(
    ctx: EngineContext, rule: str, picked: np.ndarray, limit: float, severity: Severity
) -> list[Violation]:
    """One finding per picked gap, from the end of one period to the start of the next."""
    periods = ctx.periods.spans
    findings = []
    for i in picked:
        gap = (periods.start[i + 1] - periods.end[i]) / HOUR
        text = f"{gap:.2f} h off between duty periods (at least {limit:g} h)"
        span = (periods.end[i], periods.start[i + 1])
        findings.append(ctx.finding(rule, periods.row[i], span, gap, limit, text, severity))
    return findings


def rest_after_24(ctx: EngineContext) -> list[Violation]:
    """VI.F.8.b.2 — 14 hours free after 24 hours of in-house duty (``rest_after_24``).

    A duty period of 24 h or more followed, within the same resident, by a gap to the
    next period of under `min_rest_after_24_hours`.
    """
    before, seconds, long = _gaps(ctx)
    limit = ctx.settings.min_rest_after_24_hours
    picked = before[long & (seconds < limit * HOUR)]
    return _gap_findings(ctx, "rest_after_24", picked, limit, "violation")


def rest_between(ctx: EngineContext) -> list[Violation]:
    """VI.F.8.b.1 — "should have" 8 hours off between duty periods (``rest_between``).

    A warning for a gap between consecutive duty periods under `min_rest_between_hours`,
    unless the gap follows a period of 24 h or more: `rest_after_24` governs that gap.
    """
    before, seconds, long = _gaps(ctx)
    limit = ctx.settings.min_rest_between_hours
    picked = before[~long & (seconds < limit * HOUR)]
    return _gap_findings(ctx, "rest_between", picked, limit, "warning")


def night_float_consecutive(ctx: EngineContext) -> list[Violation]:
    """VI.F.8.e (program rule) — at most 6 consecutive nights of night float.

    Rule ``night_float_consecutive``: runs of consecutive local dates on which a
    `night_float` duty starts must not be longer than `max_consecutive_night_float`.
    """
    nights = ctx.of_kind(codes.NIGHT_FLOAT)
    if len(nights) == 0:
        return []
    day = ctx.calendar.day_of(nights.start)
    key = nights.row * np.int64(ctx.calendar.n_days + 1) + day
    order = np.argsort(key, kind="stable")
    keys, firsts = np.unique(key[order], return_index=True)
    first_start = np.minimum.reduceat(nights.start[order], firsts)
    last_end = np.maximum.reduceat(nights.end[order], firsts)
    rows, days = nights.row[order][firsts], day[order][firsts]
    begins = np.ones(keys.size, dtype=bool)
    begins[1:] = (rows[1:] != rows[:-1]) | (days[1:] != days[:-1] + 1)
    heads = np.flatnonzero(begins)
    tails = np.append(heads[1:] - 1, keys.size - 1)
    lengths = tails - heads + 1
    limit = ctx.settings.max_consecutive_night_float
    findings = []
    for head, tail, length in zip(heads, tails, lengths, strict=True):
        if length > limit:
            text = f"{length} consecutive nights of night float (at most {limit})"
            span = (first_start[head], last_end[tail])
            rule = "night_float_consecutive"
            findings.append(ctx.finding(rule, rows[head], span, length, limit, text))
    return findings


def pgy1_moonlighting(ctx: EngineContext) -> list[Violation]:
    """VI.F.7.c — PGY-1 residents must not moonlight (rule ``pgy1_moonlighting``).

    One finding per PGY-1 resident with any `moonlighting` duty, from the first
    moonlighting start to the last end; the value is the number of such duties.
    """
    shifts = ctx.of_kind(codes.MOONLIGHTING)
    shifts = shifts.take(ctx.pgy[shifts.row] == 1)
    if len(shifts) == 0:
        return []
    rows, firsts, counts = np.unique(shifts.row, return_index=True, return_counts=True)
    last_end = np.maximum.reduceat(shifts.end, firsts)
    findings = []
    for row, first, count, end in zip(rows, firsts, counts, last_end, strict=True):
        text = f"PGY-1 resident has {count} moonlighting duties (none allowed)"
        span = (shifts.start[first], end)
        findings.append(ctx.finding("pgy1_moonlighting", row, span, count, 0, text))
    return findings


RULES: tuple[Rule, ...] = (
    hours_80,
    day_off,
    continuous_duty,
    transition_time,
    rest_after_24,
    rest_between,
    call_frequency,
    night_float_consecutive,
    pgy1_moonlighting,
)
"""Every duty-hour rule of ACGME.md."""
