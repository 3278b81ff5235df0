"""Fairness view: call, night-float, FMIT and weekend counts per person (pure).

Counts come from the published schedule over the period (the same snapshot every view
reads): calls are 24-h in-house calls for residents and home calls for faculty, counted
on the day they start; weekend days are Saturdays and Sundays with any work (a working
activity in a slot, or a call, night or FMIT day); holidays likewise.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from residency.core.schedule import PersonInfo, ScheduleSnapshot
from residency.web.grid import people_in_order, person_detail

CALL_KINDS = ("call", "faculty_call")


@dataclass(frozen=True, slots=True)
class FairnessRow:
    person_id: str
    name: str
    detail: str
    group: str
    calls: int
    nights: int
    fmit_weeks: int
    weekend_days: int
    holidays: int
    calls_vs_mean: float
    weekends_vs_mean: float


@dataclass(frozen=True, slots=True)
class GroupMean:
    group: str
    people: int
    calls: float
    nights: float
    fmit_weeks: float
    weekend_days: float
    holidays: float


def _group(person: PersonInfo) -> str:
    return "Residents" if person.is_resident else "Faculty"


def fairness(
    snapshot: ScheduleSnapshot, first: date, last: date
) -> tuple[list[FairnessRow], list[GroupMean]]:
    zone = snapshot.zone
    calls: dict[str, int] = defaultdict(int)
    nights: dict[str, int] = defaultdict(int)
    fmit: dict[str, int] = defaultdict(int)
    worked: dict[str, set[date]] = defaultdict(set)
    for shift in snapshot.shifts:
        start = shift.start.astimezone(zone)
        day = start.date()
        if shift.kind == "fmit_week":
            if first <= day <= last:
                fmit[shift.person] += 1
            end = (shift.end.astimezone(zone) - timedelta(microseconds=1)).date()
            while day <= end:
                worked[shift.person].add(day)
                day += timedelta(days=1)
            continue
        if not first <= day <= last:
            continue
        if shift.kind in CALL_KINDS:
            calls[shift.person] += 1
        elif shift.kind == "night_float":
            nights[shift.person] += 1
        worked[shift.person].add(day)
    for slot in snapshot.assignments:
        activity = snapshot.activities.get(slot.activity)
        if activity is not None and activity.is_work:
            worked[slot.person].add(slot.date)
    people = people_in_order(snapshot.people.values())
    raw = []
    for person in people:
        days = {d for d in worked.get(person.id, set()) if first <= d <= last}
        raw.append(
            (
                person,
                calls[person.id],
                nights[person.id],
                fmit[person.id],
                sum(1 for d in days if d.weekday() >= 5),
                sum(1 for d in days if d in snapshot.holidays),
            )
        )
    means: dict[str, GroupMean] = {}
    for group in ("Residents", "Faculty"):
        members = [r for r in raw if _group(r[0]) == group]
        if not members:
            continue
        count = len(members)
        means[group] = GroupMean(
            group=group,
            people=count,
            calls=sum(r[1] for r in members) / count,
            nights=sum(r[2] for r in members) / count,
            fmit_weeks=sum(r[3] for r in members) / count,
            weekend_days=sum(r[4] for r in members) / count,
            holidays=sum(r[5] for r in members) / count,
        )
    rows = [
        FairnessRow(
            person_id=person.id,
            name=person.name,
            detail=person_detail(person),
            group=_group(person),
            calls=n_calls,
            nights=n_nights,
            fmit_weeks=n_fmit,
            weekend_days=n_weekend,
            holidays=n_holidays,
            calls_vs_mean=round(n_calls - means[_group(person)].calls, 1),
            weekends_vs_mean=round(n_weekend - means[_group(person)].weekend_days, 1),
        )
        for person, n_calls, n_nights, n_fmit, n_weekend, n_holidays in raw
    ]
    return rows, list(means.values())
