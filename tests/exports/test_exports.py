"""Workbook, CSV and calendar exports, read back by real parsers (openpyxl, csv, icalendar)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from openpyxl import load_workbook

from residency.core.calendar import Session
from residency.core.schedule import ScheduleSnapshot
from residency.exports.csv_export import schedule_csv
from residency.exports.ical import CancelledItem, build_feed, slot_uid
from residency.exports.workbook import (
    HEADER_ROWS,
    build_workbook,
    people_in_order,
    slot_column,
)
from tests.exports.conftest import COLORS


def test_workbook_cells_match_the_schedule(snapshot: ScheduleSnapshot) -> None:
    blocks = snapshot.blocks[1:3]
    content = build_workbook(snapshot, blocks, "Test FM", COLORS)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Block 1", "Block 2", "Legend", "Summary"]
    order = [p.id for p in people_in_order(snapshot)]
    assert order == ["r1", "r2", "f1"]  # residents by PGY, then faculty
    sheet = book["Block 1"]
    written = {}
    for row, person in enumerate(order, start=HEADER_ROWS + 1):
        assert sheet.cell(row, 1).value == snapshot.people[person].name
        for day in blocks[0].days():
            for session in Session:
                value = sheet.cell(row, slot_column(blocks[0], day, session)).value
                if value is not None:
                    written[(person, day, session)] = value
    expected = {
        (a.person, a.date, a.session): a.activity
        for a in snapshot.assignments
        if blocks[0].contains(a.date)
    }
    assert written == expected
    clinic = sheet.cell(HEADER_ROWS + 1, slot_column(blocks[0], blocks[0].start, Session.AM))
    assert clinic.fill.fgColor.rgb.endswith("2E86DE")
    assert sheet.freeze_panes == "C4"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert (
        book["Block 2"]
        .cell(HEADER_ROWS + 1, slot_column(blocks[1], date(2026, 7, 31), Session.PM))
        .value
        == "OFF"
    )


def test_workbook_legend_and_summary(snapshot: ScheduleSnapshot) -> None:
    book = load_workbook(io.BytesIO(build_workbook(snapshot, snapshot.blocks[1:2], "FM", COLORS)))
    legend = {row[0]: row[1] for row in book["Legend"].iter_rows(min_row=2, values_only=True)}
    assert legend == {"AT": "clinical", "C": "clinical", "FMIT": "inpatient", "OFF": "off"}
    summary = {row[0]: row[2:] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    # block 1 only: Sam works FMIT 12-18 on 2 July and 6-12 on Saturday 4 July
    assert summary["Sam Senior"] == (12, 0, 1)
    assert summary["Ivy Intern"] == (4, 0, 0)
    assert summary["Dr Ada Faculty"] == (4, 1, 1)  # AT; the Sunday call is home call: no hours
    whole_year = load_workbook(
        io.BytesIO(build_workbook(snapshot, snapshot.blocks[1:], "FM", COLORS))
    )["Summary"]
    sam = next(r for r in whole_year.iter_rows(min_row=2, values_only=True) if r[0] == "Sam Senior")
    assert sam[2:] == (12 + 25, 1, 2)  # plus a 25-h call the night daylight saving time ends


def test_csv_lists_assignments_and_shifts(snapshot: ScheduleSnapshot) -> None:
    rows = list(csv.DictReader(io.StringIO(schedule_csv(snapshot))))
    assignments = [r for r in rows if r["type"] == "assignment"]
    shifts = [r for r in rows if r["type"] == "shift"]
    assert len(assignments) == len(snapshot.assignments)
    assert len(shifts) == len(snapshot.shifts)
    fmit = next(r for r in assignments if r["code"] == "FMIT" and r["session"] == "PM")
    assert (fmit["start"], fmit["end"], fmit["locked"]) == (
        "2026-07-02T12:00:00-04:00",
        "2026-07-02T18:00:00-04:00",
        "true",
    )
    call = next(r for r in shifts if r["code"] == "call")
    assert (call["start"], call["end"]) == (
        "2026-10-31T07:00:00-04:00",
        "2026-11-01T07:00:00-05:00",
    )


def test_person_feed_parses_back_event_by_event(snapshot: ScheduleSnapshot) -> None:
    feed = Calendar.from_ical(build_feed(snapshot, "Sam Senior", people={"r2"}))
    assert [tz["TZID"] for tz in feed.walk("VTIMEZONE")] == ["America/New_York"]
    events = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    expected_slots = [a for a in snapshot.assignments if a.person == "r2"]
    assert len(events) == len(expected_slots) + 1
    for slot in expected_slots:
        event = events[slot_uid("r2", slot.date, slot.session)]
        start, end = snapshot.slot_interval(slot)
        assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (start, end)
        assert str(event["SUMMARY"]).startswith(slot.activity)
    call = next(e for uid, e in events.items() if uid.startswith("shift-r2-call"))
    length = call.decoded("DTEND").astimezone(UTC) - call.decoded("DTSTART").astimezone(UTC)
    assert length == timedelta(hours=25)  # the night daylight saving time ends
    assert call.decoded("DTSTART").tzinfo.key == "America/New_York"


def test_feeds_keep_uids_and_cancel_what_left(snapshot: ScheduleSnapshot) -> None:
    before = Calendar.from_ical(build_feed(snapshot, "Ivy", people={"r1"}))
    clinic_uid = slot_uid("r1", date(2026, 7, 2), Session.AM)
    assert clinic_uid in {str(e["UID"]) for e in before.walk("VEVENT")}
    swapped = replace(
        snapshot,
        assignments=[a for a in snapshot.assignments if a.person != "r1" or a.activity != "C"],
    )
    start, end = snapshot.slot_interval(snapshot.assignments[0])
    gone = CancelledItem(clinic_uid, "C (AM)", start, end, datetime(2026, 7, 1, tzinfo=UTC))
    after = Calendar.from_ical(build_feed(swapped, "Ivy", people={"r1"}, cancelled=[gone]))
    cancelled = [e for e in after.walk("VEVENT") if str(e["UID"]) == clinic_uid]
    assert [str(e["STATUS"]) for e in cancelled] == ["CANCELLED"]
    program = Calendar.from_ical(build_feed(snapshot, "Everyone"))
    assert len(program.walk("VEVENT")) == 6  # OFF is not an event; 4 slots + 2 shifts
