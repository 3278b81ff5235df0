"""The rotation plan, slot assignments, shifts and absences through the API."""

from __future__ import annotations

import httpx

from tests.api.factories import (
    base,
    block_by_number,
    fields_of,
    make_activity,
    make_faculty,
    make_program,
    make_resident,
    make_rotation,
    ok,
    problem,
)


async def test_rotation_plan_rules(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    intern = await make_resident(client, program, "Ivy Intern", pgy=1)
    senior = await make_resident(client, program, "Sam Senior", pgy=3)
    attending = await make_faculty(client, program, "Dr Faculty")
    icu = await make_rotation(client, program, "ICU", eligible_pgy=[2, 3])
    clinic = await make_rotation(client, program, "CLIN")
    block = await block_by_number(client, program, 3)
    url = f"{base(program)}/rotation-plan"

    def entry(person: dict, rotation: dict, half: int = 0) -> dict:
        return {
            "person_id": person["id"],
            "block_id": block["id"],
            "rotation_id": rotation["id"],
            "half": half,
        }

    assert problem(await client.post(url, json=entry(intern, icu)), 409)["rule"] == (
        "rotation_pgy_eligibility"
    )
    assert problem(await client.post(url, json=entry(attending, clinic)), 409)["rule"] == (
        "plan_requires_resident"
    )
    first_half = ok(await client.post(url, json=entry(intern, clinic, half=1)), 201)
    ok(await client.post(url, json=entry(intern, clinic, half=2)), 201)
    body = problem(await client.post(url, json=entry(intern, clinic)), 409)
    assert (body["rule"], body["conflicting_id"]) == ("one_rotation_per_block", first_half["id"])
    ok(await client.post(url, json=entry(senior, icu)), 201)
    listed = ok(await client.get(url, params={"person_id": intern["id"]}))
    assert listed["total"] == 2
    body = problem(
        await client.post(url, json={**entry(senior, icu), "block_id": intern["id"]}), 422
    )
    assert fields_of(body) == {"block_id"}


async def test_one_activity_per_slot(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    clinic = await make_activity(client, program, "C")
    lecture = await make_activity(client, program, "LEC", category="education")
    resident = await make_resident(client, program, "Ann")
    url = f"{base(program)}/assignments"
    slot = {"person_id": resident["id"], "date": "2026-09-02", "session": "AM"}
    created = ok(await client.post(url, json={**slot, "activity_id": clinic["id"]}), 201)
    assert (created["source"], created["locked"]) == ("manual", False)
    body = problem(await client.post(url, json={**slot, "activity_id": lecture["id"]}), 409)
    assert (body["rule"], body["conflicting_id"]) == ("one_activity_per_slot", created["id"])
    pm = ok(
        await client.post(url, json={**slot, "session": "PM", "activity_id": lecture["id"]}), 201
    )
    body = problem(
        await client.patch(
            f"{url}/{pm['id']}", json={"session": "AM"}, headers={"If-Match": '"1"'}
        ),
        409,
    )
    assert body["rule"] == "one_activity_per_slot"
    page = ok(await client.get(url, params={"date_from": "2026-09-01", "date_to": "2026-09-30"}))
    assert page["total"] == 2


async def test_assignment_dates_must_fall_in_the_year(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    clinic = await make_activity(client, program, "C")
    resident = await make_resident(client, program, "Ann")
    payload = {
        "person_id": resident["id"],
        "date": "2027-07-01",
        "session": "AM",
        "activity_id": clinic["id"],
    }
    body = problem(await client.post(f"{base(program)}/assignments", json=payload), 409)
    assert (body["rule"], body["field"]) == ("date_outside_academic_year", "date")
    body = problem(
        await client.post(
            f"{base(program)}/assignments", json={**payload, "session": "EVENING", "date": "x"}
        ),
        422,
    )
    assert fields_of(body) == {"date", "session"}
    assert ok(await client.get(f"{base(program)}/assignments"))["total"] == 0


async def test_no_work_during_approved_leave(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    clinic = await make_activity(client, program, "C")
    leave = await make_activity(client, program, "LV", category="leave", counts_toward_hours=False)
    resident = await make_resident(client, program, "Ann")
    ok(
        await client.post(
            f"{base(program)}/absences",
            json={
                "person_id": resident["id"],
                "kind": "vacation",
                "start_date": "2026-10-05",
                "end_date": "2026-10-09",
                "status": "approved",
            },
        ),
        201,
    )
    slot = {"person_id": resident["id"], "date": "2026-10-07", "session": "AM"}
    body = problem(
        await client.post(
            f"{base(program)}/assignments", json={**slot, "activity_id": clinic["id"]}
        ),
        409,
    )
    assert body["rule"] == "leave_eligibility"
    ok(
        await client.post(
            f"{base(program)}/assignments", json={**slot, "activity_id": leave["id"]}
        ),
        201,
    )


async def test_absence_rules(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    resident = await make_resident(client, program, "Ann")
    url = f"{base(program)}/absences"
    leave = {"person_id": resident["id"], "kind": "vacation", "start_date": "2026-12-21"}
    body = problem(await client.post(url, json={**leave, "end_date": "2026-12-20"}), 422)
    assert "end_date" in body["detail"]
    first = ok(await client.post(url, json={**leave, "end_date": "2026-12-25"}), 201)
    assert first["status"] == "requested"
    body = problem(await client.post(url, json={**leave, "end_date": "2026-12-22"}), 409)
    assert body["rule"] == "absence_overlap"
    ok(
        await client.patch(
            f"{url}/{first['id']}", json={"status": "denied"}, headers={"If-Match": '"1"'}
        )
    )
    ok(await client.post(url, json={**leave, "end_date": "2026-12-22"}), 201)
    body = problem(
        await client.post(
            url, json={**leave, "start_date": "2026-06-01", "end_date": "2026-06-02"}
        ),
        409,
    )
    assert body["rule"] == "date_outside_academic_year"


async def test_shift_rules(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    resident = await make_resident(client, program, "Ann", pgy=2)
    attending = await make_faculty(client, program, "Dr Faculty")
    url = f"{base(program)}/shifts"
    fmit = {
        "person_id": attending["id"],
        "kind": "fmit_week",
        "start_at": "2026-07-10T00:00:00-05:00",  # a Friday
        "end_at": "2026-07-17T00:00:00-05:00",  # the end of Thursday
    }
    week = ok(await client.post(url, json=fmit), 201)
    assert (week["date"], week["start_at"]) == ("2026-07-10", "2026-07-10T00:00:00-05:00")
    body = problem(await client.post(url, json={**fmit, "person_id": resident["id"]}), 409)
    assert body["rule"] == "shift_role"
    saturday = {
        **fmit,
        "start_at": "2026-07-18T00:00:00-05:00",
        "end_at": "2026-07-25T00:00:00-05:00",
    }
    assert problem(await client.post(url, json=saturday), 409)["rule"] == "fmit_week"
    assert problem(await client.post(url, json=fmit), 409)["rule"] == "shift_overlap"
    call = {
        "person_id": resident["id"],
        "kind": "call",
        "start_at": "2026-08-01T07:00:00",
        "end_at": "2026-08-02T07:00:00-05:00",
    }
    body = problem(await client.post(url, json=call), 422)
    assert fields_of(body) == {"start_at"}
    backwards = {**call, "start_at": "2026-08-03T07:00:00-05:00"}
    assert (
        "end_at must be after start_at"
        in problem(await client.post(url, json=backwards), 422)["detail"]
    )
    created = ok(
        await client.post(url, json={**call, "start_at": "2026-08-01T07:00:00-05:00"}), 201
    )
    assert created["date"] == "2026-08-01"
    page = ok(await client.get(url, params={"kind": "call"}))
    assert page["total"] == 1


async def test_block_schedule_lists_the_blocks_rows(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    clinic = await make_activity(client, program, "C")
    resident = await make_resident(client, program, "Ann", pgy=2)
    attending = await make_faculty(client, program, "Dr Faculty")
    block = await block_by_number(client, program, 1)  # 2 Jul .. 29 Jul 2026
    for day, session in (("2026-07-02", "AM"), ("2026-07-29", "PM"), ("2026-07-30", "AM")):
        payload = {
            "person_id": resident["id"],
            "date": day,
            "session": session,
            "activity_id": clinic["id"],
            "locked": day == "2026-07-02",
        }
        ok(await client.post(f"{base(program)}/assignments", json=payload), 201)
    call = {
        "person_id": attending["id"],
        "kind": "faculty_call",
        "start_at": "2026-07-05T17:00:00-05:00",
        "end_at": "2026-07-06T08:00:00-05:00",
    }
    ok(await client.post(f"{base(program)}/shifts", json=call), 201)
    schedule = ok(await client.get(f"{base(program)}/blocks/{block['id']}/schedule"))
    assert (schedule["block"], schedule["start_date"]) == (1, "2026-07-02")
    assert [(a["date"], a["session"], a["locked"]) for a in schedule["assignments"]] == [
        ("2026-07-02", "AM", True),
        ("2026-07-29", "PM", False),
    ]
    assert [(s["kind"], s["start"]) for s in schedule["shifts"]] == [
        ("faculty_call", "2026-07-05T17:00:00-05:00")
    ]
