"""CSV of the schedule: one row per slot assignment and per shift, times in the program zone."""

from __future__ import annotations

import csv
import io

from residency.core.schedule import ScheduleSnapshot

COLUMNS = (
    "type",
    "person_id",
    "person",
    "date",
    "session",
    "code",
    "start",
    "end",
    "locked",
)


def schedule_csv(snapshot: ScheduleSnapshot) -> str:
    """Assignments (by date, session, person) then shifts (by start), as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    people = snapshot.people
    for slot in sorted(
        snapshot.assignments, key=lambda a: (a.date, a.session, people[a.person].name)
    ):
        start, end = snapshot.slot_interval(slot)
        writer.writerow(
            (
                "assignment",
                slot.person,
                people[slot.person].name,
                slot.date.isoformat(),
                slot.session.value,
                slot.activity,
                start.isoformat(),
                end.isoformat(),
                str(slot.locked).lower(),
            )
        )
    zone = snapshot.zone
    for shift in sorted(snapshot.shifts, key=lambda s: (s.start, people[s.person].name)):
        start, end = shift.start.astimezone(zone), shift.end.astimezone(zone)
        writer.writerow(
            (
                "shift",
                shift.person,
                people[shift.person].name,
                start.date().isoformat(),
                "",
                shift.kind,
                start.isoformat(),
                end.isoformat(),
                "",
            )
        )
    return buffer.getvalue()
