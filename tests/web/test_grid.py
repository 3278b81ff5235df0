"""The schedule grid: the pure view model, and the page over the published schedule."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI

from residency.activities.kinds import ActivityCategory
from residency.core.calendar import Session
from residency.core.schedule import (
    AbsenceInfo,
    ActivityInfo,
    PersonInfo,
    ScheduleSnapshot,
    ShiftInfo,
    SlotAssignment,
)
from residency.core.settings import ProgramSettings
from residency.web.grid import (
    ActivityStyle,
    Flag,
    build_grid,
    build_person_grid,
    cell_anchor,
    dates_between,
    select_people,
    style_rules,
    text_color,
)
from tests.api.factories import (
    base,
    make_activity,
    make_faculty,
    make_program,
    make_resident,
    ok,
)
from tests.web.helpers import element_by_id, page_client, page_text

ZONE = ZoneInfo("America/Chicago")
FIRST, LAST = date(2026, 9, 3), date(2026, 9, 9)  # Thursday .. Wednesday
STYLES = {
    "C": ActivityStyle("C", "Continuity clinic", "clinical", "#4C9F70"),
    "LV": ActivityStyle("LV", "Leave", "leave", "#9E9E9E"),
    "CALL": ActivityStyle("CALL", "In-house call", "call", "#C44536"),
    "FMIT": ActivityStyle("FMIT", "Inpatient", "inpatient", "#D1495B"),
}


def snapshot() -> ScheduleSnapshot:
    people = {
        "r2": PersonInfo("r2", "Bea Second", "resident", 2),
        "r1": PersonInfo("r1", "Ann First", "resident", 1),
        "f1": PersonInfo("f1", "Dr Fox", "faculty"),
    }
    activities = {
        code: ActivityInfo(code, ActivityCategory(style.category)) for code, style in STYLES.items()
    }
    return ScheduleSnapshot(
        timezone="America/Chicago",
        settings=ProgramSettings(),
        period=(FIRST, LAST),
        blocks=[],
        activities=activities,
        people=people,
        assignments=[
            SlotAssignment("r1", date(2026, 9, 3), Session.AM, "C"),
            SlotAssignment("r1", date(2026, 9, 3), Session.PM, "C", locked=True),
            SlotAssignment("r2", date(2026, 9, 4), Session.AM, "LV", locked=True),
        ],
        shifts=[
            ShiftInfo(
                "r2",
                "call",
                datetime.combine(date(2026, 9, 5), time(7), ZONE),
                datetime.combine(date(2026, 9, 6), time(7), ZONE),
            ),
            ShiftInfo(
                "f1",
                "fmit_week",
                datetime.combine(date(2026, 9, 4), time(0), ZONE),
                datetime.combine(date(2026, 9, 11), time(0), ZONE),
            ),
        ],
        absences=[AbsenceInfo("r2", "vacation", date(2026, 9, 4), date(2026, 9, 4))],
    )


def test_rows_are_grouped_by_pgy_then_faculty_and_cells_show_codes() -> None:
    snap = snapshot()
    grid = build_grid(snap, STYLES, dates_between(FIRST, LAST), select_people(snap), FIRST)
    assert [g.label for g in grid.groups] == ["PGY-1 residents", "PGY-2 residents", "Faculty"]
    assert [r.name for g in grid.groups for r in g.rows] == ["Ann First", "Bea Second", "Dr Fox"]
    ann = grid.groups[0].rows[0].cells
    assert len(ann) == 14  # 7 days x AM, PM
    am, pm = ann[0], ann[1]
    assert (am.text, pm.text) == ("C", "C")
    assert "td" in am.css.split() and grid.days[0].is_today  # today is highlighted
    assert pm.locked and "lk" in pm.css.split() and "locked" in pm.title
    assert am.anchor == cell_anchor("r1", FIRST, "AM")
    assert grid.filled_cells == 3


def test_leave_locked_and_shift_cells_are_marked_without_colour_alone() -> None:
    snap = snapshot()
    grid = build_grid(snap, STYLES, dates_between(FIRST, LAST), select_people(snap), FIRST)
    bea = {(c.day, c.session): c for c in grid.groups[1].rows[0].cells}
    leave = bea[(date(2026, 9, 4), "AM")]
    assert leave.text == "LV" and leave.leave and "lv" in leave.css.split()
    assert "on leave" in leave.title
    assert bea[(date(2026, 9, 4), "PM")].leave  # the whole day of approved leave
    call = bea[(date(2026, 9, 5), "AM")]
    assert call.text == "CALL" and call.code is None and "24-hour in-house call" in call.title
    fox = {(c.day, c.session): c for c in grid.groups[2].rows[0].cells}
    assert fox[(date(2026, 9, 4), "AM")].text == "FMIT"
    assert fox[(date(2026, 9, 9), "PM")].text == "FMIT"
    assert fox[(date(2026, 9, 3), "PM")].text == ""  # the week starts on Friday


def test_filters_flags_and_the_person_view() -> None:
    snap = snapshot()
    days = dates_between(FIRST, LAST)
    residents = select_people(snap, role="resident", pgy=2)
    assert [p.name for p in residents] == ["Bea Second"]
    flags = [Flag("r1", date(2026, 9, 3), date(2026, 9, 3), "PM")]
    grid = build_grid(snap, STYLES, days, select_people(snap, role="resident"), FIRST, flags)
    flagged = [c for g in grid.groups for r in g.rows for c in r.cells if c.flagged]
    assert [(c.anchor, "fl" in c.css) for c in flagged] == [
        (cell_anchor("r1", date(2026, 9, 3), "PM"), True)
    ]
    person = build_person_grid(snap, STYLES, snap.people["r1"], FIRST, LAST, FIRST)
    rows = person.groups[0].rows
    assert [r.label for r in rows] == ["Week of 31 Aug", "Week of 7 Sep"]
    monday_am = rows[0].cells[0]
    assert monday_am.css == "cell out"  # 31 Aug is before the range
    thursday = rows[0].cells[6]
    assert (thursday.day, thursday.text) == (date(2026, 9, 3), "C")


def test_colours_come_from_validated_hex_with_readable_text() -> None:
    rules = style_rules({**STYLES, "X": ActivityStyle("X", "x", "clinical", "red;}body{")})
    assert "red" not in rules and "#cccccc" in rules
    assert text_color("#000000") == "#ffffff" and text_color("#ffffff") == "#000000"


async def _program_with_schedule(client: httpx.AsyncClient) -> dict:
    program = await make_program(client)
    clinic = await make_activity(client, program, "C", color="#4C9F70", sees_patients=True)
    resident = await make_resident(client, program, "Rae Resident", pgy=2)
    await make_resident(client, program, "Pat First", pgy=1)
    faculty = await make_faculty(client, program, "Dr Fay")
    for day, session in (("2026-09-02", "AM"), ("2026-09-02", "PM")):
        slot = {
            "person_id": resident["id"],
            "date": day,
            "session": session,
            "activity_id": clinic["id"],
        }
        ok(await client.post(f"{base(program)}/assignments", json=slot), 201)
    return {"program": program, "resident": resident, "faculty": faculty, "clinic": clinic}


async def test_the_grid_page_shows_the_published_schedule(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    world = await _program_with_schedule(client)
    program, resident = world["program"], world["resident"]
    page = await page_client(app, "rae", roles=[(program["id"], "resident", resident["id"])])
    url = f"/ui/programs/{program['id']}/schedule"
    response = await page.get(url, params={"block": 3})  # 27 Aug .. 23 Sep 2026
    assert response.status_code == 200
    cell = element_by_id(response.text, cell_anchor(resident["id"], date(2026, 9, 2), "PM"))
    assert ">C<" in cell and "C Activity C" in cell
    text = page_text(response.text)
    assert "PGY-1 residents" in text and "PGY-2 residents" in text and "Faculty" in text
    assert text.index("Pat First") < text.index("Rae Resident") < text.index("Dr Fay")
    assert "Legend" in text and "Edit cells" not in text  # residents do not edit
    assert 'nonce="' in response.text and ".a0{background-color:#4c9f70" in response.text

    week = await page.get(url, params={"view": "week", "week": "2026-09-02"})
    assert "Week of Mon 31 Aug 2026" in page_text(week.text)
    faculty_only = await page.get(url, params={"block": 3, "role": "faculty"})
    assert "Rae Resident" not in page_text(faculty_only.text)
    pgy1 = await page.get(url, params={"block": 3, "pgy": 1})
    assert "Pat First" in page_text(pgy1.text) and "Rae Resident" not in page_text(pgy1.text)
    mine = await page.get(url, params={"view": "person", "block": 3})
    assert "Rae Resident, by week" in page_text(mine.text)


async def test_a_coordinator_edits_a_cell_and_errors_show_in_place(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    world = await _program_with_schedule(client)
    program, resident, clinic = world["program"], world["resident"], world["clinic"]
    page = await page_client(app, "coco", roles=[(program["id"], "coordinator", None)])
    url = f"/ui/programs/{program['id']}/schedule"
    grid = await page.get(url, params={"block": 3, "edit": "1"})
    assert "Stop editing cells" in page_text(grid.text)
    cell_url = f"/ui/programs/{program['id']}/schedule/cell"
    where = {"person": resident["id"], "date": "2026-09-03", "session": "AM"}
    form = await page.get(cell_url, params=where)
    assert form.status_code == 200 and "nothing scheduled" in page_text(form.text)
    saved = await page.post_form(
        cell_url, {**where, "activity": clinic["id"], "locked": "on", "back": url}
    )
    assert saved.status_code == 303
    assert saved.headers["location"].endswith(
        "notice=cell-saved#" + cell_anchor(resident["id"], date(2026, 9, 3), "AM")
    )
    after = await page.get(url, params={"block": 3})
    cell = element_by_id(after.text, cell_anchor(resident["id"], date(2026, 9, 3), "AM"))
    assert "lk" in cell and ">C<" in cell
    outside = await page.post_form(
        cell_url, {**where, "date": "2030-01-02", "activity": clinic["id"], "back": url}
    )
    assert outside.status_code == 409
    text = page_text(outside.text)
    assert "There is a problem" in text and "outside every academic year" in text
    unknown = await page.post_form(cell_url, {**where, "activity": "C", "back": url})
    assert unknown.status_code == 422
    assert "Activity: Choose one of the options." in page_text(unknown.text)
    assert 'aria-invalid="true"' in unknown.text
