"""Hypothesis properties: monotonic hours_80, shift invariance (engine == reference elsewhere)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residency.compliance import check_timeline, parse_timeline, summarize

from .strategies import KINDS, timelines

WORK_KINDS = [kind for kind in KINDS if kind != "home_call"]
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _violating_dates(doc: dict[str, Any]) -> set[tuple[str, date]]:
    """(person, d) for every window W(d) that violates hours_80."""
    dates = set()
    for v in check_timeline(parse_timeline(doc)).violations:
        if v.rule != "hours_80":
            continue
        day, last = v.start.date(), v.end.date() - timedelta(days=28)
        while day <= last:
            dates.add((v.person, day))
            day += timedelta(days=1)
    return dates


@st.composite
def with_extra_duty(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = draw(timelines())
    doc.setdefault("period", {"start": "2026-02-20", "end": "2026-11-20"})
    if not doc["duties"]:
        doc["duties"] = [
            {
                "person": doc["people"][0]["id"],
                "start": "2026-03-01T08:00:00+00:00",
                "end": "2026-03-01T12:00:00+00:00",
                "kind": "clinical",
            }
        ]
    anchor = datetime.fromisoformat(draw(st.sampled_from(doc["duties"]))["start"])
    start = anchor + timedelta(minutes=30 * draw(st.integers(-200, 200)))
    end = start + timedelta(minutes=30 * draw(st.integers(1, 60)))
    extra = {
        "person": draw(st.sampled_from([p["id"] for p in doc["people"]])),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "kind": draw(st.sampled_from(WORK_KINDS)),
    }
    return doc, extra


@PROPERTY_SETTINGS
@given(with_extra_duty())
def test_adding_a_duty_never_removes_an_hours_80_violation(case: tuple[dict, dict]) -> None:
    doc, extra = case
    before = _violating_dates(doc)
    after = _violating_dates({**doc, "duties": [*doc["duties"], extra]})
    assert before <= after


def _shifted(doc: dict[str, Any], days: int) -> dict[str, Any]:
    delta = timedelta(days=days)

    def move(text: str) -> str:
        return (datetime.fromisoformat(text) + delta).isoformat()

    duties = [{**d, "start": move(d["start"]), "end": move(d["end"])} for d in doc["duties"]]
    return {**{k: v for k, v in doc.items() if k != "period"}, "duties": duties}


def _total_hours(doc: dict[str, Any]) -> dict[str, float]:
    timeline = parse_timeline(doc)
    if not timeline.duties:
        return {}
    zone = timeline.zone
    first = min(d.start for d in timeline.duties).astimezone(zone).date() - timedelta(days=1)
    last = max(d.end for d in timeline.duties).astimezone(zone).date() + timedelta(days=1)
    return {s.person: s.total_hours for s in summarize(timeline, first, last)}


ELAPSED_RULES = (
    "continuous_duty",
    "transition_time",
    "rest_after_24",
    "rest_between",
    "pgy1_moonlighting",
)


def _elapsed_findings(doc: dict[str, Any]) -> list[tuple[str, str, float, float]]:
    found = check_timeline(parse_timeline(doc)).violations
    return sorted(
        (v.rule, v.person, v.value, v.end.timestamp() - v.start.timestamp())
        for v in found
        if v.rule in ELAPSED_RULES
    )


@PROPERTY_SETTINGS
@given(timelines(), st.integers(-400, 400).filter(lambda k: k != 0))
def test_shifting_by_whole_utc_days_keeps_hour_totals(doc: dict[str, Any], days: int) -> None:
    moved = _shifted(doc, days)
    assert _total_hours(moved) == _total_hours(doc)
    assert _elapsed_findings(moved) == _elapsed_findings(_shifted(doc, 0))
