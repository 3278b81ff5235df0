"""What left a person's feed recently: slots and shifts moved away or deleted (from the audit).

The audit trail records every update and delete with the row before it; an entry whose
`before` names the person and whose `after` does not (or which deleted the row) is an
item that left their calendar, sent once more as a cancelled event.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from residency.audit.models import AuditEntry
from residency.audit.repository import AuditRepository
from residency.core.calendar import Session
from residency.core.schedule import ScheduleSnapshot, ShiftInfo, SlotAssignment
from residency.exports.ical import SHIFT_TITLES, CancelledItem, shift_uid, slot_uid
from residency.models_base import utcnow

CANCELLATION_DAYS = 30
TABLES = ("assignments", "shifts")


async def cancelled_items(
    session: AsyncSession,
    program_id: uuid.UUID,
    person_id: uuid.UUID,
    snapshot: ScheduleSnapshot,
    activity_codes: dict[str, str],
) -> list[CancelledItem]:
    """Items that left the person's feed in the last 30 days and are not back in it."""
    since = utcnow() - timedelta(days=CANCELLATION_DAYS)
    entries = await AuditRepository(session).recent_changes(program_id, TABLES, since)
    person = str(person_id)
    current = _current_uids(snapshot, person)
    items: dict[str, CancelledItem] = {}
    for entry in entries:
        item = _left_feed(entry, person, snapshot, activity_codes)
        if item is not None and item.uid not in current:
            items[item.uid] = item
    return list(items.values())


def _current_uids(snapshot: ScheduleSnapshot, person: str) -> set[str]:
    slots = {
        slot_uid(a.person, a.date, a.session) for a in snapshot.assignments if a.person == person
    }
    return slots | {shift_uid(s) for s in snapshot.shifts if s.person == person}


def _left_feed(
    entry: AuditEntry, person: str, snapshot: ScheduleSnapshot, codes: dict[str, str]
) -> CancelledItem | None:
    before: dict[str, Any] = entry.before or {}
    after: dict[str, Any] = entry.after or {}
    if before.get("person_id") != person or (after and after.get("person_id") == person):
        return None
    if entry.entity_type == "assignments":
        return _cancelled_slot(before, entry.at, snapshot, codes)
    return _cancelled_shift(before, entry.at, snapshot)


def _cancelled_slot(
    before: dict[str, Any], at: datetime, snapshot: ScheduleSnapshot, codes: dict[str, str]
) -> CancelledItem | None:
    code = codes.get(str(before.get("activity_id")))
    if code is None or code not in snapshot.activities:
        return None
    slot = SlotAssignment(
        before["person_id"], date.fromisoformat(before["date"]), Session(before["session"]), code
    )
    start, end = snapshot.slot_interval(slot)
    return CancelledItem(
        slot_uid(slot.person, slot.date, slot.session),
        f"{code} ({slot.session.value})",
        start,
        end,
        at,
    )


def _cancelled_shift(
    before: dict[str, Any], at: datetime, snapshot: ScheduleSnapshot
) -> CancelledItem:
    shift = ShiftInfo(
        before["person_id"],
        before["kind"],
        datetime.fromisoformat(before["start_at"]),
        datetime.fromisoformat(before["end_at"]),
    )
    return CancelledItem(
        shift_uid(shift), SHIFT_TITLES.get(shift.kind, shift.kind), shift.start, shift.end, at
    )
