"""Exports through the API, read back by real parsers and checked against the database."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from icalendar import Calendar
from openpyxl import Workbook, load_workbook

from tests.api.factories import (
    base,
    block_by_number,
    make_activity,
    make_faculty,
    make_program,
    make_resident,
    make_rotation,
    ok,
    problem,
    sign_in,
)


async def feed_token(client: httpx.AsyncClient, program: dict, person: dict) -> str:
    issued = ok(await client.post(f"{base(program)}/people/{person['id']}/calendar-token"), 201)
    return issued["token"]


async def read_feed(client: httpx.AsyncClient, token: str) -> dict[str, object]:
    response = await client.get(f"/cal/{token}.ics", headers={"Authorization": ""})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


async def test_person_feed_matches_the_database_across_dst_and_a_swap(
    client: httpx.AsyncClient,
) -> None:
    program = await make_program(client)
    clinic = await make_activity(client, program, "C")
    wards = await make_activity(
        client,
        program,
        "W",
        "inpatient",
        am_start="06:00",
        am_end="12:00",
        pm_start="12:00",
        pm_end="18:00",
    )
    ann = await make_resident(client, program, "Ann", pgy=2)
    bob = await make_resident(client, program, "Bob", pgy=2)
    url = f"{base(program)}/assignments"
    for day in ("2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"):  # DST ends 1 Nov
        for session, activity in (("AM", wards), ("PM", clinic)):
            payload = {
                "person_id": ann["id"],
                "date": day,
                "session": session,
                "activity_id": activity["id"],
            }
            ok(await client.post(url, json=payload), 201)
    call = {
        "person_id": ann["id"],
        "kind": "call",
        "start_at": "2026-10-31T18:00:00-05:00",
        "end_at": "2026-11-01T07:00:00-06:00",
    }
    ok(await client.post(f"{base(program)}/shifts", json=call), 201)
    token = await feed_token(client, program, ann)
    events = await read_feed(client, token)
    rows = ok(await client.get(url, params={"person_id": ann["id"]}))["items"]
    assert len(events) == len(rows) + 1
    for row in rows:
        event = events[f"slot-{ann['id']}-{row['date']}-{row['session']}@residency-scheduler"]
        start = event.decoded("DTSTART")
        assert start.date().isoformat() == row["date"]
        assert start.tzinfo.key == "America/Chicago"
        assert start.hour == (6 if row["session"] == "AM" else 13)  # wards AM, clinic PM
    night = next(e for uid, e in events.items() if uid.startswith(f"shift-{ann['id']}-call"))
    length = night.decoded("DTEND").astimezone(UTC) - night.decoded("DTSTART").astimezone(UTC)
    assert length == timedelta(hours=14)  # 18:00 CDT to 07:00 CST: 13 h of clock, 14 real

    swapped = next(r for r in rows if r["date"] == "2026-11-02" and r["session"] == "PM")
    ok(await client.patch(f"{url}/{swapped['id']}", json={"person_id": bob["id"]}))
    after = await read_feed(client, token)
    uid = f"slot-{ann['id']}-2026-11-02-PM@residency-scheduler"
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    bobs = await read_feed(client, await feed_token(client, program, bob))
    assert f"slot-{bob['id']}-2026-11-02-PM@residency-scheduler" in bobs
    assert "STATUS" not in bobs[f"slot-{bob['id']}-2026-11-02-PM@residency-scheduler"]


async def test_feed_token_is_the_only_credential(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    ann = await make_resident(client, program, "Ann")
    old = await feed_token(client, program, ann)
    new = await feed_token(client, program, ann)  # regenerating revokes the old one
    problem(await client.get(f"/cal/{old}.ics"), 404)
    assert (await client.get(f"/cal/{new}.ics")).status_code == 200
    problem(await client.get("/cal/not-a-token.ics"), 404)


async def test_program_feed_is_for_coordinators(client: httpx.AsyncClient, app: FastAPI) -> None:
    program = await make_program(client)
    resident = await make_resident(client, program, "Ann")
    clinic = await make_activity(client, program, "C")
    payload = {
        "person_id": resident["id"],
        "date": "2026-09-01",
        "session": "AM",
        "activity_id": clinic["id"],
    }
    ok(await client.post(f"{base(program)}/assignments", json=payload), 201)
    feed = Calendar.from_ical((await client.get(f"{base(program)}/calendar.ics")).content)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["C (AM) — Ann"]
    member = await sign_in(app, "ann", roles=[(program["id"], "resident", resident["id"])])
    problem(await client.get(f"{base(program)}/calendar.ics", headers=member), 403)


async def test_workbook_cells_match_the_database(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    clinic = await make_activity(client, program, "C", color="#123456")
    ann = await make_resident(client, program, "Ann", pgy=1)
    dr = await make_faculty(client, program, "Dr Who")
    block = await block_by_number(client, program, 1)
    start = datetime.fromisoformat(block["start_date"])
    for person in (ann, dr):
        for offset, session in ((0, "AM"), (3, "PM")):
            day = (start + timedelta(days=offset)).date().isoformat()
            payload = {
                "person_id": person["id"],
                "date": day,
                "session": session,
                "activity_id": clinic["id"],
            }
            ok(await client.post(f"{base(program)}/assignments", json=payload), 201)
    response = await client.get(f"{base(program)}/exports/workbook.xlsx", params={"blocks": "1"})
    book = load_workbook(io.BytesIO(ok_bytes(response)))
    sheet = book["Block 1"]
    rows = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    assert list(rows) == ["Ann", "Dr Who"]  # residents first
    filled = {
        (sheet.cell(row, 1).value, column)
        for row in rows.values()
        for column in range(3, sheet.max_column + 1)
        if sheet.cell(row, column).value == "C"
    }
    assert filled == {("Ann", 3), ("Ann", 10), ("Dr Who", 3), ("Dr Who", 10)}
    assert sheet.cell(rows["Ann"], 3).fill.fgColor.rgb.endswith("123456")
    problem(
        await client.get(f"{base(program)}/exports/workbook.xlsx", params={"blocks": "99"}), 422
    )


def ok_bytes(response: httpx.Response) -> bytes:
    assert response.status_code == 200, response.text
    return response.content


async def test_plan_import_through_the_api(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    await make_resident(client, program, "Ann", pgy=1)
    await make_rotation(client, program, "CLIN")
    await make_rotation(client, program, "ICU", eligible_pgy=[2, 3])
    grid = Workbook()
    sheet = grid.active
    sheet.append(["Resident", "PGY", "Block 1", "Block 2"])
    sheet.append(["ann", 1, "clin", "ICU"])
    sheet.append(["Anne Smith", 1, "CLIN", None])
    buffer = io.BytesIO()
    grid.save(buffer)
    upload = {"file": ("plan.xlsx", buffer.getvalue(), "application/octet-stream")}
    url = f"{base(program)}/imports/rotation-plan"
    dry = ok(await client.post(url, files=upload))
    assert {p["cell"] for p in dry["problems"]} == {"D2", "A3"}
    body = problem(await client.post(url, files=upload, params={"apply": "true"}), 422)
    assert {e["field"] for e in body["errors"]} == {"D2", "A3"}
    assert ok(await client.get(f"{base(program)}/rotation-plan"))["total"] == 0
