"""Entry points of the compliance engine: arrays in, or a parsed timeline in."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from residency.compliance.arrays import DutyArrays, Roster, timeline_to_arrays
from residency.compliance.context import EngineContext
from residency.compliance.model import Timeline, load_zone
from residency.compliance.result import ComplianceResult, Violation
from residency.compliance.rules import RULES
from residency.compliance.settings import RuleSettings


def check_arrays(
    roster: Roster,
    duties: DutyArrays,
    *,
    timezone: str | ZoneInfo,
    settings: RuleSettings | None = None,
    period: tuple[date, date] | None = None,
) -> ComplianceResult:
    """Evaluate every duty-hour rule on duty arrays (the fast path: no parsing).

    `period` is the inclusive local evaluation period; by default the local date of the
    earliest duty start through that of the latest duty end. ValueError on inconsistent
    arrays.
    """
    zone = load_zone(timezone) if isinstance(timezone, str) else timezone
    ctx = EngineContext(roster, duties, zone, settings or RuleSettings(), period)
    findings: list[Violation] = []
    for rule in RULES:
        findings.extend(rule(ctx))
    findings.sort(key=lambda v: v.sort_key)
    return ComplianceResult(
        violations=tuple(findings),
        timezone=zone.key,
        period=ctx.period,
        residents=ctx.resident_ids,
    )


def check_timeline(timeline: Timeline) -> ComplianceResult:
    """Evaluate every duty-hour rule on a parsed timeline (its zone, period and rules)."""
    roster, duties = timeline_to_arrays(timeline)
    period = (timeline.period.start, timeline.period.end) if timeline.period else None
    return check_arrays(
        roster, duties, timezone=timeline.zone, settings=timeline.rules, period=period
    )
