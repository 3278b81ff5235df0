"""Hypothesis strategies: small random duty timelines around DST changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from residency.compliance.model import DutyKind

ZONES = [
    "America/New_York",
    "America/Chicago",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kolkata",
    "UTC",
]
DST_DATES = [
    date(2026, 3, 8),
    date(2026, 11, 1),
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2026, 4, 5),
    date(2026, 9, 6),
    date(2026, 10, 4),
]
MINUTE = 60
HOUR = 3600
GAPS = [
    0,
    HOUR,
    3 * HOUR + 59 * MINUTE,
    4 * HOUR,
    4 * HOUR + MINUTE,
    8 * HOUR,
    13 * HOUR,
    14 * HOUR,
    30 * HOUR,
    -2 * HOUR,
    -30 * MINUTE,
]
LENGTHS = [30 * MINUTE, 4 * HOUR, 8 * HOUR, 12 * HOUR, 16 * HOUR, 24 * HOUR, 25 * HOUR, 28 * HOUR]
KINDS = [kind.value for kind in DutyKind]


@st.composite
def rule_overrides(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "max_weekly_hours": draw(st.sampled_from([5.0, 10.0, 20.0, 40.0, 80.0])),
        "min_free_days_per_28": draw(st.sampled_from([0, 4, 20, 24, 27, 28])),
        "max_continuous_hours": draw(st.sampled_from([8.0, 12.0, 24.0])),
        "pgy1_max_continuous_hours": draw(st.sampled_from([None, 6.0, 16.0])),
        "max_transition_hours": draw(st.sampled_from([0.0, 2.0, 4.0])),
        "min_rest_after_24_hours": draw(st.sampled_from([8.0, 14.0, 20.0])),
        "min_rest_between_hours": draw(st.sampled_from([8.0, 10.0, 16.0])),
        "call_every_nth_night": draw(st.integers(1, 10)),
        "max_consecutive_night_float": draw(st.integers(1, 4)),
        "period_merge_gap_hours": draw(st.sampled_from([0.0, 1.0, 4.0, 6.0])),
    }


def _iso(epoch: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, tz=zone).isoformat()


@st.composite
def person_duties(draw: st.DrawFn, person: str, origin: int, zone: ZoneInfo) -> list[dict]:
    duties = []
    cursor = origin + draw(st.integers(0, 96)) * 30 * MINUTE
    for _ in range(draw(st.integers(0, 25))):
        if draw(st.booleans()):
            cursor += draw(st.sampled_from(GAPS))
        else:
            cursor += draw(st.integers(-12, 96)) * 30 * MINUTE
        length = draw(st.sampled_from(LENGTHS) | st.integers(1, 60).map(lambda k: k * 30 * 60))
        kind = draw(st.sampled_from(KINDS))
        duties.append(
            {
                "person": person,
                "start": _iso(cursor, zone),
                "end": _iso(cursor + length, zone),
                "kind": kind,
            }
        )
        cursor += length
    if draw(st.booleans()):
        duties += draw(nightly_duties(person, origin, zone))
    return duties


@st.composite
def nightly_duties(draw: st.DrawFn, person: str, origin: int, zone: ZoneInfo) -> list[dict]:
    """Night float or call duties at 19:00 local on mostly consecutive days."""
    kind = draw(st.sampled_from(["night_float", "in_house_call"]))
    day = datetime.fromtimestamp(origin, tz=zone).date()
    duties = []
    for _ in range(draw(st.integers(1, 14))):
        day += timedelta(days=draw(st.sampled_from([1, 1, 1, 2, 3])))
        start = int(datetime(day.year, day.month, day.day, 19, tzinfo=zone).timestamp())
        length = draw(st.sampled_from([10 * HOUR, 12 * HOUR, 5 * HOUR]))
        duties.append(
            {
                "person": person,
                "start": _iso(start, zone),
                "end": _iso(start + length, zone),
                "kind": kind,
            }
        )
    return duties


@st.composite
def timelines(draw: st.DrawFn, with_rules: bool = True) -> dict[str, Any]:
    """A timeline document of 1-3 people near a DST change."""
    name = draw(st.sampled_from(ZONES))
    zone = ZoneInfo(name)
    around = draw(st.sampled_from(DST_DATES)) - timedelta(days=draw(st.integers(0, 20)))
    origin = int(datetime(around.year, around.month, around.day, tzinfo=zone).timestamp())
    people = []
    duties: list[dict] = []
    for index in range(draw(st.integers(1, 3))):
        pid = f"p{index}"
        role = draw(st.sampled_from(["resident", "resident", "faculty"]))
        person: dict[str, Any] = {"id": pid, "role": role}
        pgy = draw(st.sampled_from([None, 1, 2]))
        if pgy is not None:
            person["pgy"] = pgy
        people.append(person)
        duties += draw(person_duties(pid, origin, zone))
    doc: dict[str, Any] = {"timezone": name, "people": people, "duties": duties}
    if with_rules:
        doc["rules"] = draw(rule_overrides())
    if draw(st.booleans()):
        first = around + timedelta(days=draw(st.integers(-3, 10)))
        doc["period"] = {
            "start": first.isoformat(),
            "end": (first + timedelta(days=draw(st.integers(0, 45)))).isoformat(),
        }
    return doc
