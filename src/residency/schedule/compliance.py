"""Compliance of a stored schedule: duty-hour rules, program rules and resident summaries.

To judge local dates start..end, the timeline is evaluated from start - 27 days, so every
28-day window that ends inside the requested dates is complete, and duties from the day
before that are loaded so the rules that look back (rest, continuous duty) see them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from residency.compliance import ResidentSummary, Violation, check_timeline, parse_timeline
from residency.compliance import summarize as summarize_timeline
from residency.compliance.program_rules import validate_schedule
from residency.core.schedule import ScheduleSnapshot, duty_timeline
from residency.programs.models import Program
from residency.schedule.service import load_snapshot

WINDOW_DAYS = 28


@dataclass(frozen=True)
class ComplianceReport:
    start: date
    end: date
    violations: list[Violation]
    residents: list[ResidentSummary]
    names: dict[str, str]


async def program_compliance(
    session: AsyncSession, program: Program, start: date, end: date
) -> ComplianceReport:
    history_start = start - timedelta(days=WINDOW_DAYS)
    snapshot = await load_snapshot(session, program, history_start, end + timedelta(days=1))
    return judge_snapshot(snapshot, start, end)


def judge_snapshot(snapshot: ScheduleSnapshot, start: date, end: date) -> ComplianceReport:
    """Both rule sets over start..end of a snapshot that holds 28 days of history."""
    evaluated = replace(snapshot, period=(start - timedelta(days=WINDOW_DAYS - 1), end))
    timeline = parse_timeline(duty_timeline(evaluated))
    opening = datetime.combine(start, time(0), tzinfo=snapshot.zone)
    duty_findings = [v for v in check_timeline(timeline).violations if v.end > opening]
    program_findings = validate_schedule(replace(snapshot, period=(start, end)))
    return ComplianceReport(
        start=start,
        end=end,
        violations=sorted(duty_findings + program_findings, key=lambda v: v.sort_key),
        residents=summarize_timeline(timeline, start, end),
        names={person.id: person.name for person in snapshot.people.values()},
    )
