"""Programs, academic years and blocks through the API."""

from __future__ import annotations

import httpx

from tests.api.factories import (
    base,
    block_by_number,
    fields_of,
    make_program,
    make_resident,
    make_rotation,
    ok,
    problem,
)


async def test_create_program_generates_year_and_blocks(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/programs",
        json={"name": "FM", "timezone": "America/Chicago", "academic_year": 2026},
    )
    program = ok(response, 201)
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/api/v1/programs/{program['id']}"
    assert program["block_weekday"] == "thursday"
    assert program["settings"]["duty_hours"]["max_weekly_hours"] == 80

    years = ok(await client.get(f"{base(program)}/academic-years"))
    assert years["total"] == 1
    assert years["items"][0] | {"id": None} == {
        "id": None,
        "start_year": 2026,
        "start_date": "2026-07-01",
        "end_date": "2027-06-30",
    }
    blocks = ok(await client.get(f"{base(program)}/blocks"))["items"]
    assert [b["number"] for b in blocks] == list(range(14))
    assert (blocks[0]["start_date"], blocks[0]["end_date"]) == ("2026-07-01", "2026-07-01")
    assert blocks[1]["start_date"] == "2026-07-02"  # the first Thursday
    assert blocks[13]["end_date"] == "2027-06-30"
    one = ok(await client.get(f"{base(program)}/blocks/{blocks[5]['id']}"))
    assert one["number"] == 5


async def test_list_programs_paginates_with_total(client: httpx.AsyncClient) -> None:
    for index in range(5):
        await make_program(client, name=f"Program {index}")
    page = ok(await client.get("/api/v1/programs", params={"limit": 2, "offset": 2}))
    assert page["total"] == 5
    assert (page["limit"], page["offset"]) == (2, 2)
    assert [p["name"] for p in page["items"]] == ["Program 2", "Program 3"]
    body = problem(await client.get("/api/v1/programs", params={"limit": 0}), 422)
    assert fields_of(body) == {"query.limit"}


async def test_update_with_if_match(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    stale = problem(
        await client.patch(base(program), json={"name": "New"}, headers={"If-Match": '"7"'}), 412
    )
    assert "does not match" in stale["detail"]
    response = await client.patch(base(program), json={"name": "New"}, headers={"If-Match": '"1"'})
    assert ok(response)["name"] == "New"
    assert response.headers["ETag"] == '"2"'
    assert ok(await client.get(base(program)))["version"] == 2


async def test_bad_program_payloads_name_the_field(client: httpx.AsyncClient) -> None:
    body = problem(
        await client.post("/api/v1/programs", json={"name": "X", "timezone": "Mars/Base"}), 422
    )
    assert fields_of(body) == {"timezone"}
    body = problem(
        await client.post("/api/v1/programs", json={"name": "X", "settings": {"clinic_rooms": -1}}),
        422,
    )
    assert fields_of(body) == {"settings.clinic_rooms"}
    assert ok(await client.get("/api/v1/programs"))["total"] == 0


async def test_duplicate_program_name_is_a_conflict(client: httpx.AsyncClient) -> None:
    await make_program(client, name="Same")
    body = problem(await client.post("/api/v1/programs", json={"name": "Same"}), 409)
    assert body["rule"] == "unique_program_name"


async def test_block_weekday_change_moves_blocks_until_a_plan_uses_them(
    client: httpx.AsyncClient,
) -> None:
    program = await make_program(client)
    moved = ok(await client.patch(base(program), json={"block_weekday": "monday"}))
    assert moved["block_weekday"] == "monday"
    assert (await block_by_number(client, program, 1))["start_date"] == "2026-07-06"

    resident = await make_resident(client, program, "Ann Resident")
    rotation = await make_rotation(client, program, "CLIN")
    block = await block_by_number(client, program, 2)
    entry = {"person_id": resident["id"], "block_id": block["id"], "rotation_id": rotation["id"]}
    ok(await client.post(f"{base(program)}/rotation-plan", json=entry), 201)
    body = problem(await client.patch(base(program), json={"block_weekday": "thursday"}), 409)
    assert body["rule"] == "blocks_in_use"
    # the refused change left nothing behind: same weekday, same version, same blocks
    after = ok(await client.get(base(program)))
    assert (after["block_weekday"], after["version"]) == ("monday", 2)
    assert (await block_by_number(client, program, 2))["id"] == block["id"]


async def test_add_academic_year_and_refuse_duplicates(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    year = ok(await client.post(f"{base(program)}/academic-years", json={"start_year": 2027}), 201)
    assert year["start_date"] == "2027-07-01"
    blocks = ok(
        await client.get(f"{base(program)}/blocks", params={"academic_year_id": year["id"]})
    )
    # 1 July 2027 is a Thursday: no orientation days, and block 13 absorbs 29 February
    assert [b["number"] for b in blocks["items"]] == list(range(1, 14))
    assert blocks["items"][-1]["start_date"] == "2028-06-01"
    assert blocks["items"][-1]["end_date"] == "2028-06-30"
    body = problem(
        await client.post(f"{base(program)}/academic-years", json={"start_year": 2027}), 409
    )
    assert body["rule"] == "unique_academic_year"


async def test_delete_program_removes_everything(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    await make_resident(client, program, "Ann Resident")
    response = await client.delete(base(program), headers={"If-Match": '"1"'})
    assert response.status_code == 204
    problem(await client.get(base(program)), 404)
    problem(await client.get(f"{base(program)}/people"), 404)


async def test_errors_are_problem_details(client: httpx.AsyncClient) -> None:
    missing = "/api/v1/programs/00000000-0000-0000-0000-000000000000"
    assert "no program" in problem(await client.get(missing), 404)["detail"]
    problem(await client.get("/api/v1/nowhere"), 404)
    problem(await client.get("/api/v1/programs/not-a-uuid"), 422)
    body = problem(
        await client.post(
            "/api/v1/programs", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
    )
    assert body["errors"]
    problem(await client.put("/api/v1/programs"), 405)
