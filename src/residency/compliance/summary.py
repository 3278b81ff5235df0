"""Per-resident duty-hour summary for the dashboard (hours, rolling average, free days, calls).

Weeks are 7-day weeks counted from the summary's `start` date (the last one may be shorter),
not ISO weeks, so that they line up with blocks that start on any weekday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from residency.compliance import arrays as codes
from residency.compliance.arrays import DutyArrays, Roster, timeline_to_arrays
from residency.compliance.context import HOUR, WINDOW_DAYS, EngineContext
from residency.compliance.intervals import day_counts, day_covered, day_seconds, window_sums
from residency.compliance.localtime import LocalCalendar
from residency.compliance.model import Timeline, load_zone
from residency.compliance.settings import RuleSettings

WEEK_DAYS = 7


@dataclass(frozen=True, slots=True)
class WeekHours:
    """Work hours and in-house calls of one 7-day week (``start`` .. ``end`` inclusive)."""

    start: date
    end: date
    hours: float
    calls: int


@dataclass(frozen=True, slots=True)
class DayAverage:
    """The rolling average on a day: hours in the 28 local days ending that day, / 4."""

    day: date
    average_weekly_hours: float


@dataclass(frozen=True, slots=True)
class WindowFreeDays:
    """Free days in the 28-day window ``start`` .. ``end`` (inclusive)."""

    start: date
    end: date
    free_days: int


@dataclass(frozen=True, slots=True)
class ResidentSummary:
    """One resident's figures for the local dates ``start`` .. ``end`` of the summary."""

    person: str
    pgy: int | None
    total_hours: float
    calls: int
    weeks: tuple[WeekHours, ...]
    daily: tuple[DayAverage, ...]
    free_days: tuple[WindowFreeDays, ...]


@dataclass(frozen=True)
class _DayFigures:
    """Per resident row and local day from ``start - 27``: work seconds, busy flags, calls."""

    first: date
    seconds: np.ndarray
    busy: np.ndarray
    calls: np.ndarray


def summarize(timeline: Timeline, start: date, end: date) -> list[ResidentSummary]:
    """Per-resident summary of a parsed timeline over the local dates start .. end."""
    roster, duties = timeline_to_arrays(timeline)
    return summarize_arrays(roster, duties, timezone=timeline.zone, start=start, end=end)


def summarize_arrays(
    roster: Roster,
    duties: DutyArrays,
    *,
    timezone: str | ZoneInfo,
    start: date,
    end: date,
) -> list[ResidentSummary]:
    """Per-resident summary from duty arrays, residents in roster order."""
    if end < start:
        raise ValueError("end must not be before start")
    zone = load_zone(timezone) if isinstance(timezone, str) else timezone
    ctx = EngineContext(roster, duties, zone, RuleSettings(), (start, end))
    figures = _day_figures(ctx, start, end)
    return [_resident(ctx, figures, row, start, end) for row in range(ctx.n_rows)]


def _day_figures(ctx: EngineContext, start: date, end: date) -> _DayFigures:
    first = start - timedelta(days=WINDOW_DAYS - 1)
    last = max(end, start + timedelta(days=WINDOW_DAYS - 1))
    calendar = LocalCalendar.build(ctx.zone, first, last)
    mids = calendar.midnights
    calls = ctx.of_kind(codes.IN_HOUSE_CALL)
    return _DayFigures(
        first=first,
        seconds=day_seconds(ctx.work, mids, ctx.n_rows),
        busy=day_covered(ctx.duties, mids, ctx.n_rows),
        calls=day_counts(calls.row, calendar.day_of(calls.start), ctx.n_rows, calendar.n_days),
    )


def _resident(
    ctx: EngineContext, figures: _DayFigures, row: int, start: date, end: date
) -> ResidentSummary:
    lead = WINDOW_DAYS - 1
    span = (end - start).days + 1
    seconds = figures.seconds[row]
    calls = figures.calls[row]
    pgy = int(ctx.pgy[row]) or None
    return ResidentSummary(
        person=ctx.resident_ids[row],
        pgy=pgy,
        total_hours=_hours(seconds[lead : lead + span].sum()),
        calls=int(calls[lead : lead + span].sum()),
        weeks=_weeks(seconds[lead : lead + span], calls[lead : lead + span], start),
        daily=_daily(seconds, start, span),
        free_days=_free_days(figures.busy[row, lead:], start, end),
    )


def _hours(seconds: float | np.integer) -> float:
    return round(float(seconds) / HOUR, 2)


def _weeks(seconds: np.ndarray, calls: np.ndarray, start: date) -> tuple[WeekHours, ...]:
    weeks = []
    for offset in range(0, seconds.shape[0], WEEK_DAYS):
        stop = min(offset + WEEK_DAYS, seconds.shape[0])
        weeks.append(
            WeekHours(
                start=start + timedelta(days=offset),
                end=start + timedelta(days=stop - 1),
                hours=_hours(seconds[offset:stop].sum()),
                calls=int(calls[offset:stop].sum()),
            )
        )
    return tuple(weeks)


def _daily(seconds: np.ndarray, start: date, span: int) -> tuple[DayAverage, ...]:
    totals = window_sums(seconds[None, :], WINDOW_DAYS)[0][:span]
    return tuple(
        DayAverage(day=start + timedelta(days=i), average_weekly_hours=_hours(total / 4))
        for i, total in enumerate(totals)
    )


def _free_days(busy: np.ndarray, start: date, end: date) -> tuple[WindowFreeDays, ...]:
    count = max(0, (end - start).days - (WINDOW_DAYS - 1)) + 1
    free = WINDOW_DAYS - window_sums(busy[None, :].astype(np.int64), WINDOW_DAYS)[0][:count]
    return tuple(
        WindowFreeDays(
            start=start + timedelta(days=i),
            end=start + timedelta(days=i + WINDOW_DAYS - 1),
            free_days=int(days),
        )
        for i, days in enumerate(free)
    )
