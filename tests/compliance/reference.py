"""A deliberately simple pure-Python reference of ACGME.md, to check the vectorised engine.

It walks datetimes and lists one person, one window and one day at a time; no NumPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from residency.compliance.model import DutyKind, Timeline

HOUR = 3600
WORK_KINDS = {kind for kind in DutyKind if kind is not DutyKind.HOME_CALL}


@dataclass(frozen=True)
class Item:
    start: int
    end: int
    kind: DutyKind


@lru_cache(maxsize=4096)
def midnight(day: date, zone: ZoneInfo) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


def local(epoch: int, zone: ZoneInfo) -> date:
    return datetime.fromtimestamp(epoch, tz=zone).date()


def unite(intervals: list[tuple[int, int]], joins: Any) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and joins(start - merged[-1][1]):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def overlap(a: int, b: int, c: int, d: int) -> int:
    return max(0, min(b, d) - max(a, c))


def reference_check(timeline: Timeline) -> list[dict[str, Any]]:
    """Findings as report dicts without `message`, in ACGME.md order."""
    zone = ZoneInfo(timeline.timezone)
    items: dict[str, list[Item]] = {}
    for d in timeline.duties:
        start, end = math.floor(d.start.timestamp()), math.ceil(d.end.timestamp())
        items.setdefault(d.person, []).append(Item(start, end, d.kind))
    period = _period(timeline, zone)
    out: list[dict[str, Any]] = []
    for person in timeline.people:
        if person.role != "resident":
            continue
        mine = items.get(person.id, [])
        out += _person(timeline, zone, period, person.id, person.pgy, mine)
    out.sort(key=lambda f: (f["person"], datetime.fromisoformat(f["start"]), f["rule"]))
    return out


def _period(timeline: Timeline, zone: ZoneInfo) -> tuple[date, date] | None:
    if timeline.period is not None:
        return timeline.period.start, timeline.period.end
    if not timeline.duties:
        return None
    first = min(math.floor(d.start.timestamp()) for d in timeline.duties)
    last = max(math.ceil(d.end.timestamp()) for d in timeline.duties)
    return local(first, zone), local(last, zone)


def _finding(rule, person, start, end, value, limit, zone, severity="violation"):
    return {
        "rule": rule,
        "person": person,
        "severity": severity,
        "start": datetime.fromtimestamp(start, tz=zone).isoformat(),
        "end": datetime.fromtimestamp(end, tz=zone).isoformat(),
        "value": round(float(value), 2),
        "limit": round(float(limit), 2),
    }


def _person(timeline, zone, period, pid, pgy, mine):
    rules = timeline.rules
    work = unite([(i.start, i.end) for i in mine if i.kind in WORK_KINDS], lambda g: g <= 0)
    gap_limit = rules.period_merge_gap_hours * HOUR
    periods = unite([tuple(b) for b in work], lambda g: g < gap_limit)
    out = []
    if period is not None:
        out += _windows(rules, zone, period, pid, mine, work)
    out += _period_rules(rules, zone, pid, pgy, mine, periods)
    out += _gap_rules(rules, zone, pid, periods)
    out += _night_float(rules, zone, pid, mine)
    if pgy == 1:
        moon = [i for i in mine if i.kind is DutyKind.MOONLIGHTING]
        if moon:
            start, end = min(i.start for i in moon), max(i.end for i in moon)
            out.append(_finding("pgy1_moonlighting", pid, start, end, len(moon), 0, zone))
    return out


def _windows(rules, zone, period, pid, mine, work):
    first, last_end = period
    last = max(first, last_end - timedelta(days=27))
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    hours_limit = 4 * rules.max_weekly_hours
    calls_limit = 28 // rules.call_every_nth_night
    checks = {
        "hours_80": (
            lambda d: _window_hours(zone, d, work),
            lambda v: v > hours_limit * HOUR,
            max,
            hours_limit,
            HOUR,
        ),
        "day_off": (
            lambda d: _window_free(zone, d, mine),
            lambda v: v < rules.min_free_days_per_28,
            min,
            rules.min_free_days_per_28,
            1,
        ),
        "call_frequency": (
            lambda d: _window_calls(zone, d, mine),
            lambda v: v > calls_limit,
            max,
            calls_limit,
            1,
        ),
    }
    out = []
    for rule, (measure, bad, worst, limit, unit) in checks.items():
        run: list[tuple[date, float]] = []
        for d in [*days, None]:
            value = measure(d) if d is not None else None
            if value is not None and bad(value):
                run.append((d, value))
                continue
            if run:
                start = midnight(run[0][0], zone)
                end = midnight(run[-1][0] + timedelta(days=28), zone)
                best = worst(v for _, v in run) / unit
                out.append(_finding(rule, pid, start, end, best, limit, zone))
                run = []
    return out


def _window_hours(zone, d, work):
    lo, hi = midnight(d, zone), midnight(d + timedelta(days=28), zone)
    return sum(overlap(s, e, lo, hi) for s, e in work)


def _window_free(zone, d, mine):
    free = 0
    for k in range(28):
        day = d + timedelta(days=k)
        lo, hi = midnight(day, zone), midnight(day + timedelta(days=1), zone)
        if not any(overlap(i.start, i.end, lo, hi) > 0 for i in mine):
            free += 1
    return free


def _window_calls(zone, d, mine):
    last = d + timedelta(days=27)
    return sum(
        1 for i in mine if i.kind is DutyKind.IN_HOUSE_CALL and d <= local(i.start, zone) <= last
    )


def _period_rules(rules, zone, pid, pgy, mine, periods):
    out = []
    limit = rules.max_continuous_hours
    if pgy == 1 and rules.pgy1_max_continuous_hours is not None:
        limit = rules.pgy1_max_continuous_hours
    plain = [
        (i.start, i.end) for i in mine if i.kind in WORK_KINDS and i.kind is not DutyKind.TRANSITION
    ]
    for start, end in periods:
        inside = [(s, e) for s, e in plain if start <= s < end]
        seconds = sum(e - s for s, e in unite(inside, lambda g: g <= 0))
        if seconds > limit * HOUR:
            out.append(_finding("continuous_duty", pid, start, end, seconds / HOUR, limit, zone))
        total = rules.max_continuous_hours + rules.max_transition_hours
        if end - start > total * HOUR:
            value = (end - start) / HOUR
            out.append(_finding("transition_time", pid, start, end, value, total, zone))
    return out


def _gap_rules(rules, zone, pid, periods):
    out = []
    for (s1, e1), (s2, _) in pairwise(periods):
        gap = s2 - e1
        if e1 - s1 >= 24 * HOUR:
            if gap < rules.min_rest_after_24_hours * HOUR:
                limit = rules.min_rest_after_24_hours
                out.append(_finding("rest_after_24", pid, e1, s2, gap / HOUR, limit, zone))
        elif gap < rules.min_rest_between_hours * HOUR:
            limit = rules.min_rest_between_hours
            out.append(_finding("rest_between", pid, e1, s2, gap / HOUR, limit, zone, "warning"))
    return out


def _night_float(rules, zone, pid, mine):
    nights: dict[date, list[Item]] = {}
    for i in mine:
        if i.kind is DutyKind.NIGHT_FLOAT:
            nights.setdefault(local(i.start, zone), []).append(i)
    out = []
    run: list[date] = []
    for day in [*sorted(nights), None]:
        if day is not None and run and day == run[-1] + timedelta(days=1):
            run.append(day)
            continue
        if len(run) > rules.max_consecutive_night_float:
            start = min(i.start for i in nights[run[0]])
            end = max(i.end for i in nights[run[-1]])
            limit = rules.max_consecutive_night_float
            out.append(_finding("night_float_consecutive", pid, start, end, len(run), limit, zone))
        run = [day] if day is not None else []
    return out
