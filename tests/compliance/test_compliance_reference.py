"""The vectorised engine equals the pure-Python reference on random small timelines."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from residency.compliance import check_timeline, parse_timeline, to_report

from .reference import reference_check
from .strategies import timelines


def _without_message(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k != "message"} for item in report["violations"]]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_engine_matches_reference(doc: dict[str, Any]) -> None:
    timeline = parse_timeline(doc)
    assert _without_message(to_report(check_timeline(timeline))) == reference_check(timeline)
