"""A resident's hours chart as inline SVG geometry (pure; drawn by the template).

Bars are the hours of each week; the line is the rolling 28-day average of weekly hours
on each day; a dashed line marks the limit (80 hours by default). Every figure is also
given as text (the summary and the table under the chart), so nothing is told by colour
or shape alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from residency.compliance import ResidentSummary

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    start: date
    hours: float
    over: bool


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class HoursChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bars: list[Bar]
    average_points: str
    limit: float
    limit_y: float
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    peak_week: Bar | None
    peak_average: float
    peak_average_day: date | None
    weeks_over: int
    days_over: int


def hours_chart(summary: ResidentSummary, limit: float, first: date, last: date) -> HoursChart:
    span_days = max(1, (last - first).days + 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top_value = max(
        [
            limit * 1.15,
            *(w.hours for w in summary.weeks),
            *(d.average_weekly_hours for d in summary.daily),
        ]
    )
    scale_max = _nice_ceiling(top_value)

    def x_of(day: date) -> float:
        return LEFT + plot_w * ((day - first).days / span_days)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / scale_max)

    bars = []
    for week in summary.weeks:
        x0 = x_of(max(week.start, first))
        x1 = x_of(min(week.end, last)) + plot_w / span_days
        y = y_of(week.hours)
        bars.append(
            Bar(
                x=round(x0 + 0.5, 2),
                y=round(y, 2),
                width=round(max(0.5, x1 - x0 - 1), 2),
                height=round(TOP + plot_h - y, 2),
                start=week.start,
                hours=week.hours,
                over=week.hours > limit,
            )
        )
    half_day = plot_w / span_days / 2
    points = " ".join(
        f"{x_of(d.day) + half_day:.1f},{y_of(d.average_weekly_hours):.1f}" for d in summary.daily
    )
    peak_day = max(summary.daily, key=lambda d: d.average_weekly_hours, default=None)
    peak_week = max(bars, key=lambda b: b.hours, default=None)
    step = _tick_step(scale_max)
    y_ticks = [
        Tick(round(y_of(value), 1), f"{value:g}")
        for value in _frange(0, scale_max + step / 2, step)
    ]
    x_ticks = []
    cursor = date(first.year, first.month, 1)
    while cursor <= last:
        if cursor >= first:
            x_ticks.append(Tick(round(x_of(cursor), 1), cursor.strftime("%b")))
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    return HoursChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=TOP + plot_h,
        bars=bars,
        average_points=points,
        limit=limit,
        limit_y=round(y_of(limit), 1),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        peak_week=peak_week,
        peak_average=peak_day.average_weekly_hours if peak_day else 0.0,
        peak_average_day=peak_day.day if peak_day else None,
        weeks_over=sum(1 for bar in bars if bar.over),
        days_over=sum(1 for d in summary.daily if d.average_weekly_hours > limit),
    )


def _nice_ceiling(value: float) -> float:
    for step in (20, 25, 50, 100):
        if value <= step * 6:
            return float(step * -(-value // step))
    return float(100 * -(-value // 100))


def _tick_step(scale_max: float) -> float:
    for step in (10, 20, 25, 50, 100):
        if scale_max / step <= 6:
            return float(step)
    return scale_max / 5


def _frange(start: float, stop: float, step: float) -> list[float]:
    values, value = [], start
    while value < stop:
        values.append(value)
        value += step
    return values
