"""The block workbook (XLSX): one sheet per block, a legend and a per-person summary.

People are rows (residents by PGY, then faculty), each day has an AM and a PM column,
and each cell holds the activity code filled with the activity's colour. Header rows and
the name column are frozen; pages print landscape, fitted to one page wide. Pure: it
takes a `ScheduleSnapshot` and returns the file's bytes.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from residency.compliance import parse_timeline, summarize
from residency.core.calendar import BlockSpan, Session
from residency.core.schedule import (
    PersonInfo,
    ScheduleSnapshot,
    ShiftInfo,
    SlotAssignment,
    duty_timeline,
)

HEADER_ROWS = 3  # block title, dates, AM/PM
NAME_COLUMNS = 2  # name, PGY / role
THIN = Side(style="thin", color="BBBBBB")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center")
LEGEND_SHEET = "Legend"
SUMMARY_SHEET = "Summary"


def people_in_order(snapshot: ScheduleSnapshot) -> list[PersonInfo]:
    """Residents grouped by PGY, then faculty; by name within each group."""
    return sorted(
        snapshot.people.values(),
        key=lambda p: (0 if p.is_resident else 1, p.pgy or 0, p.name.lower()),
    )


def sheet_name(block: BlockSpan) -> str:
    return "Orientation" if block.number == 0 else f"Block {block.number}"


def build_workbook(
    snapshot: ScheduleSnapshot,
    blocks: Iterable[BlockSpan],
    program_name: str,
    colors: dict[str, str],
) -> bytes:
    """The workbook for `blocks` as XLSX bytes; `colors` maps activity code to #rrggbb."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    people = people_in_order(snapshot)
    cells = {(a.person, a.date, a.session): a for a in snapshot.assignments}
    blocks = list(blocks)
    covered = replace(snapshot, period=(blocks[0].start, blocks[-1].end))
    for block in blocks:
        _block_sheet(
            workbook.create_sheet(sheet_name(block)), block, people, cells, colors, program_name
        )
    _legend_sheet(workbook.create_sheet(LEGEND_SHEET), snapshot, colors)
    _summary_sheet(workbook.create_sheet(SUMMARY_SHEET), covered, people)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def slot_column(block: BlockSpan, day: date, session: Session) -> int:
    """1-based column of a slot: after the name columns, two per day (AM, PM)."""
    return NAME_COLUMNS + 1 + 2 * (day - block.start).days + (session is Session.PM)


def _block_sheet(
    sheet: Worksheet,
    block: BlockSpan,
    people: list[PersonInfo],
    cells: dict[tuple[str, date, Session], SlotAssignment],
    colors: dict[str, str],
    program_name: str,
) -> None:
    days = list(block.days())
    sheet.cell(
        1, 1, f"{program_name} — {sheet_name(block)}: {block.start} to {block.end}"
    ).font = BOLD
    sheet.cell(2, 1, "Name").font = BOLD
    sheet.cell(2, 2, "PGY / role").font = BOLD
    for day in days:
        column = slot_column(block, day, Session.AM)
        sheet.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + 1)
        header = sheet.cell(2, column, day.strftime("%a %d %b"))
        header.font, header.alignment = BOLD, CENTER
        for session in Session:
            cell = sheet.cell(3, slot_column(block, day, session), session.value)
            cell.alignment = CENTER
    for row, person in enumerate(people, start=HEADER_ROWS + 1):
        sheet.cell(row, 1, person.name)
        sheet.cell(row, 2, f"PGY-{person.pgy}" if person.is_resident else "Faculty")
        for day in days:
            for session in Session:
                held = cells.get((person.id, day, session))
                cell = sheet.cell(
                    row, slot_column(block, day, session), held.activity if held else None
                )
                cell.alignment, cell.border = CENTER, BOX
                if held is not None and held.activity in colors:
                    cell.fill = _fill(colors[held.activity])
    _page_setup(sheet, len(days))


def _fill(color: str) -> PatternFill:
    rgb = color.lstrip("#").upper()
    return PatternFill(start_color=rgb, end_color=rgb, fill_type="solid")


def _page_setup(sheet: Worksheet, day_count: int) -> None:
    sheet.freeze_panes = sheet.cell(HEADER_ROWS + 1, NAME_COLUMNS + 1)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 10
    for column in range(NAME_COLUMNS + 1, NAME_COLUMNS + 1 + 2 * day_count):
        sheet.column_dimensions[get_column_letter(column)].width = 5.5
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{HEADER_ROWS}"
    sheet.print_title_cols = "A:B"


def _legend_sheet(sheet: Worksheet, snapshot: ScheduleSnapshot, colors: dict[str, str]) -> None:
    for column, title in enumerate(("Code", "Category", "Counts toward hours"), start=1):
        sheet.cell(1, column, title).font = BOLD
    for row, activity in enumerate(sorted(snapshot.activities.values(), key=lambda a: a.code), 2):
        code = sheet.cell(row, 1, activity.code)
        if activity.code in colors:
            code.fill = _fill(colors[activity.code])
        sheet.cell(row, 2, activity.category.value)
        sheet.cell(row, 3, "yes" if activity.counts_toward_hours else "no")
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 20


def _summary_sheet(sheet: Worksheet, snapshot: ScheduleSnapshot, people: list[PersonInfo]) -> None:
    """Per person over the sheets' dates: duty hours, calls, weekend days worked."""
    hours = duty_hours(snapshot)
    weekends = _weekend_days(snapshot)
    calls = Counter(
        s.person
        for s in snapshot.shifts
        if s.kind in ("call", "faculty_call") and _in_period(snapshot, _local_day(snapshot, s))
    )
    for column, title in enumerate(("Name", "PGY / role", "Hours", "Calls", "Weekend days"), 1):
        sheet.cell(1, column, title).font = BOLD
    for row, person in enumerate(people, start=2):
        sheet.cell(row, 1, person.name)
        sheet.cell(row, 2, f"PGY-{person.pgy}" if person.is_resident else "Faculty")
        sheet.cell(row, 3, round(hours.get(person.id, 0.0), 2))
        sheet.cell(row, 4, calls[person.id])
        sheet.cell(row, 5, len(weekends[person.id]))
    sheet.column_dimensions["A"].width = 24
    sheet.freeze_panes = "A2"


def duty_hours(snapshot: ScheduleSnapshot) -> dict[str, float]:
    """Hours of duty per person over the snapshot's period, overlaps counted once.

    The compliance engine's summary does the arithmetic (union of intervals, real elapsed
    time across daylight saving); everyone is summarised, faculty included.
    """
    timeline = duty_timeline(snapshot)
    for person in timeline["people"]:
        person["role"] = "resident"
    first, last = snapshot.period
    summaries = summarize(parse_timeline(timeline), first, last)
    return {summary.person: summary.total_hours for summary in summaries}


def _weekend_days(snapshot: ScheduleSnapshot) -> dict[str, set[date]]:
    worked = [
        (slot.person, slot.date)
        for slot in snapshot.assignments
        if snapshot.activities[slot.activity].is_work
    ]
    worked += [
        (s.person, _local_day(snapshot, s)) for s in snapshot.shifts if s.kind != "fmit_week"
    ]
    weekends: dict[str, set[date]] = defaultdict(set)
    for person, day in worked:
        if day.weekday() >= 5 and _in_period(snapshot, day):
            weekends[person].add(day)
    return weekends


def _local_day(snapshot: ScheduleSnapshot, shift: ShiftInfo) -> date:
    return shift.start.astimezone(snapshot.zone).date()


def _in_period(snapshot: ScheduleSnapshot, day: date) -> bool:
    return snapshot.period[0] <= day <= snapshot.period[1]
