"""iCalendar feeds (RFC 5545): a person's, or the whole program's, published schedule.

Every slot assignment and shift becomes an event with its real start and end in the
program's zone (a VTIMEZONE is included). UIDs are stable — they name the slot or the
shift, not the row — so a calendar app updates an event in place; an item that left a
person's schedule (a swap, a leave approval) is sent once more as a cancelled event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from icalendar import Calendar, Event

from residency.core.calendar import Session
from residency.core.schedule import ScheduleSnapshot, ShiftInfo, SlotAssignment

PRODID = "-//Residency Scheduler//Schedule feed//EN"
UID_DOMAIN = "residency-scheduler"
SHIFT_TITLES = {
    "call": "In-house call",
    "night_float": "Night float",
    "faculty_call": "Faculty call",
    "fmit_week": "FMIT week",
}


@dataclass(frozen=True, slots=True)
class CancelledItem:
    """Something that left the feed: its UID, its times, and when it was removed."""

    uid: str
    summary: str
    start: datetime
    end: datetime
    removed_at: datetime


def slot_uid(person: str, day: date, session: Session) -> str:
    return f"slot-{person}-{day.isoformat()}-{session.value}@{UID_DOMAIN}"


def shift_uid(shift: ShiftInfo) -> str:
    start = shift.start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"shift-{shift.person}-{shift.kind}-{start}@{UID_DOMAIN}"


def build_feed(
    snapshot: ScheduleSnapshot,
    name: str,
    people: set[str] | None = None,
    cancelled: Iterable[CancelledItem] = (),
    stamp: datetime | None = None,
) -> bytes:
    """The feed of `people` (everyone when None) as .ics bytes."""
    stamp = stamp or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", snapshot.timezone)
    wanted = snapshot.people.keys() if people is None else people
    for slot in snapshot.assignments:
        if slot.person in wanted and snapshot.activities[slot.activity].is_work:
            calendar.add_component(_slot_event(snapshot, slot, stamp, people is None))
    for shift in snapshot.shifts:
        if shift.person in wanted:
            calendar.add_component(_shift_event(snapshot, shift, stamp, people is None))
    for item in cancelled:
        calendar.add_component(_cancelled_event(snapshot, item))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(uid: str, summary: str, start: datetime, end: datetime, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    return event


def _who(snapshot: ScheduleSnapshot, person: str, everyone: bool) -> str:
    return f" — {snapshot.people[person].name}" if everyone else ""


def _slot_event(
    snapshot: ScheduleSnapshot, slot: SlotAssignment, stamp: datetime, everyone: bool
) -> Event:
    start, end = snapshot.slot_interval(slot)
    summary = f"{slot.activity} ({slot.session.value}){_who(snapshot, slot.person, everyone)}"
    event = _event(slot_uid(slot.person, slot.date, slot.session), summary, start, end, stamp)
    event.add("categories", [snapshot.activities[slot.activity].category.value])
    return event


def _shift_event(
    snapshot: ScheduleSnapshot, shift: ShiftInfo, stamp: datetime, everyone: bool
) -> Event:
    zone = snapshot.zone
    summary = SHIFT_TITLES.get(shift.kind, shift.kind) + _who(snapshot, shift.person, everyone)
    return _event(
        shift_uid(shift), summary, shift.start.astimezone(zone), shift.end.astimezone(zone), stamp
    )


def _cancelled_event(snapshot: ScheduleSnapshot, item: CancelledItem) -> Event:
    zone = snapshot.zone
    event = _event(
        item.uid,
        item.summary,
        item.start.astimezone(zone),
        item.end.astimezone(zone),
        item.removed_at,
    )
    event.add("status", "CANCELLED")
    event.add("sequence", 1)
    return event
