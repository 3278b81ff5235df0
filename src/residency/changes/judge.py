"""Judge a change: findings before and after, for the people and dates it touches (pure).

The duty-hour engine runs over the people involved with every 28-day window that
contains a changed date (so 27 days of history before the first date and 27 days after
the last), and the program rules over the changed dates with a week each side (whole
Monday-Sunday weeks for the weekly clinic cap, the FMIT weeks next to a changed one,
post-call mornings, recovery Fridays). Other people's rows are in the window only from
the first changed date to the last, so of the findings that concern no single person
(supervision, clinic capacity, call coverage) only those on those dates count. A
finding of the after-state is *introduced* when it is a violation that no violation of
the before-state, of the same rule and person, spans and equals or exceeds: a change
may leave an old violation as it was (or make it smaller), never add or worsen one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from residency.changes.rows import ScheduleState
from residency.compliance import Violation, check_timeline, parse_timeline
from residency.compliance.program_rules import validate_schedule
from residency.core.schedule import duty_timeline

WINDOW_DAYS = 28
PROGRAM_RULE_MARGIN = timedelta(days=7)
# Rows the program rules may look at beyond their period: an FMIT week that starts or
# ends inside it, with its recovery Friday; the call before a post-call morning.
ROW_MARGIN = timedelta(days=8)
HISTORY = timedelta(days=WINDOW_DAYS - 1)


@dataclass(frozen=True, slots=True)
class Finding:
    violation: Violation
    introduced: bool


def relevant_findings(state: ScheduleState, people: set[str], dates: set[date]) -> list[Violation]:
    """Every finding of `state` about `people`, or about a slot or night on `dates`."""
    first, last = min(dates), max(dates)
    engine_people = {p for p in people if p in state.catalogue.people}
    duty: list[Violation] = []
    if any(state.catalogue.people[p].is_resident for p in engine_people):
        timeline = duty_timeline(
            state.snapshot((first - HISTORY, last + HISTORY), people=engine_people)
        )
        duty = list(check_timeline(parse_timeline(timeline)).violations)
    program = validate_schedule(
        state.snapshot((first - PROGRAM_RULE_MARGIN, last + PROGRAM_RULE_MARGIN), margin=ROW_MARGIN)
    )
    zone = state.catalogue.zone
    opening = datetime.combine(first, time(0), tzinfo=zone)
    closing = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    found = [
        v
        for v in duty + program
        if v.person in people or (v.person == "" and v.start < closing and v.end > opening)
    ]
    return sorted(found, key=lambda v: v.sort_key)


def judge(
    before: ScheduleState, after: ScheduleState, people: set[str], dates: set[date]
) -> list[Finding]:
    """The after-state's findings, each marked introduced or not (see the module doc)."""
    if not dates:
        return []
    old = [v for v in relevant_findings(before, people, dates) if v.severity == "violation"]
    return [
        Finding(v, v.severity == "violation" and not any(_covers(o, v) for o in old))
        for v in relevant_findings(after, people, dates)
    ]


def _covers(old: Violation, new: Violation) -> bool:
    return (
        old.rule == new.rule
        and old.person == new.person
        and old.start <= new.start
        and new.end <= old.end
        and abs(new.value - new.limit) <= abs(old.value - old.limit) + 1e-9
    )
