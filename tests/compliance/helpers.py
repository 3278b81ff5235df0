"""Small builders for hand-written timelines: local wall-clock times in, ISO offsets out."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from residency.compliance import check_timeline, parse_timeline, to_report

ZONE = "America/Chicago"


def at(text: str, zone: str = ZONE) -> str:
    """ISO 8601 with the zone's offset for a local wall-clock time ``YYYY-MM-DD HH:MM``."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).isoformat()


def duty(
    start: str, end: str, kind: str = "clinical", person: str = "r1", zone: str = ZONE
) -> dict[str, str]:
    """A duty between two local wall-clock times."""
    return {"person": person, "start": at(start, zone), "end": at(end, zone), "kind": kind}


def resident(pid: str = "r1", pgy: int | None = 2) -> dict[str, Any]:
    person: dict[str, Any] = {"id": pid, "role": "resident"}
    if pgy is not None:
        person["pgy"] = pgy
    return person


def timeline(
    duties: list[dict[str, Any]],
    *,
    people: list[dict[str, Any]] | None = None,
    zone: str = ZONE,
    period: tuple[str, str] | None = None,
    rules: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A timeline document (one PGY-2 resident `r1` unless `people` is given)."""
    doc: dict[str, Any] = {
        "timezone": zone,
        "people": people if people is not None else [resident()],
        "duties": duties,
    }
    if period is not None:
        doc["period"] = {"start": period[0], "end": period[1]}
    if rules is not None:
        doc["rules"] = rules
    return doc


def findings(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The report items of a document, without `message`."""
    report = to_report(check_timeline(parse_timeline(doc)))
    return [{k: v for k, v in item.items() if k != "message"} for item in report["violations"]]


def of_rule(doc: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    """The findings of one rule."""
    return [f for f in findings(doc) if f["rule"] == rule]
