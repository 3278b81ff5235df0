"""The dashboard summary: 7-day weeks from the start, rolling average, free days, calls."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from residency.compliance import parse_timeline, summarize

from .helpers import duty, resident, timeline

START = date(2026, 7, 1)


def _day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def _doc() -> dict:
    shifts = [duty(f"{_day(d)} 08:00", f"{_day(d)} 16:00") for d in range(10)]
    call = duty(f"{_day(2)} 17:00", f"{_day(2)} 23:00", "in_house_call")
    before = duty(f"{_day(-3)} 08:00", f"{_day(-3)} 12:00")  # counts in early averages only
    faculty = duty(f"{_day(0)} 08:00", f"{_day(0)} 12:00", person="f1")
    people = [resident("r1"), {"id": "f1", "role": "faculty"}, resident("r2", pgy=None)]
    return timeline([*shifts, call, before, faculty], people=people)


def test_weeks_totals_and_calls() -> None:
    r1, r2 = summarize(parse_timeline(_doc()), START, START + timedelta(days=9))
    assert (r1.person, r1.pgy, r2.person, r2.pgy) == ("r1", 2, "r2", None)
    assert r1.total_hours == 86.0
    assert r1.calls == 1
    assert [(w.start, w.end, w.hours, w.calls) for w in r1.weeks] == [
        (START, START + timedelta(days=6), 62.0, 1),
        (START + timedelta(days=7), START + timedelta(days=9), 24.0, 0),
    ]
    assert r2.total_hours == 0
    assert all(w.hours == 0 for w in r2.weeks)


def test_rolling_average_counts_the_28_days_ending_each_day() -> None:
    (r1, _) = summarize(parse_timeline(_doc()), START, START + timedelta(days=9))
    averages = {a.day: a.average_weekly_hours for a in r1.daily}
    assert len(averages) == 10
    assert averages[START] == pytest.approx((4 + 8) / 4)
    assert averages[START + timedelta(days=2)] == pytest.approx((4 + 8 * 3 + 6) / 4)
    assert averages[START + timedelta(days=9)] == pytest.approx((4 + 80 + 6) / 4)


def test_free_days_per_window() -> None:
    (r1, r2) = summarize(parse_timeline(_doc()), START, START + timedelta(days=29))
    assert [(w.start, w.end, w.free_days) for w in r1.free_days] == [
        (START + timedelta(days=k), START + timedelta(days=k + 27), 18 + k) for k in range(3)
    ]
    assert {w.free_days for w in r2.free_days} == {28}


def test_end_before_start_is_rejected() -> None:
    with pytest.raises(ValueError, match="end"):
        summarize(parse_timeline(_doc()), START, START - timedelta(days=1))
