"""People, activities and rotations through the API."""

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


async def test_people_crud_and_filters(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    for index in range(3):
        await make_resident(client, program, f"Resident {index}", pgy=index + 1)
    chief = await make_faculty(client, program, "Dr Chief", faculty_role="pd")
    assert chief["weekly_clinic_cap"] == 2  # the PD's default cap
    residents = ok(await client.get(f"{base(program)}/people", params={"role": "resident"}))
    assert residents["total"] == 3
    pgy2 = ok(await client.get(f"{base(program)}/people", params={"pgy": 2}))
    assert [p["name"] for p in pgy2["items"]] == ["Resident 1"]

    url = f"{base(program)}/people/{chief['id']}"
    updated = ok(
        await client.patch(url, json={"weekly_clinic_cap": 3}, headers={"If-Match": '"1"'})
    )
    assert (updated["weekly_clinic_cap"], updated["version"]) == (3, 2)
    problem(
        await client.patch(url, json={"weekly_clinic_cap": 4}, headers={"If-Match": '"1"'}), 412
    )
    assert (await client.delete(url)).status_code == 204
    problem(await client.get(url), 404)


async def test_person_fields_must_match_the_role(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    body = problem(
        await client.post(f"{base(program)}/people", json={"name": "X", "role": "resident"}), 422
    )
    assert "pgy: required for a resident" in body["detail"]
    body = problem(
        await client.post(
            f"{base(program)}/people", json={"name": "X", "role": "resident", "pgy": 12}
        ),
        422,
    )
    assert fields_of(body) == {"pgy"}
    resident = await make_resident(client, program, "Ann")
    body = problem(
        await client.patch(f"{base(program)}/people/{resident['id']}", json={"role": "faculty"}),
        422,
    )
    assert fields_of(body) == {"faculty_role", "pgy"}
    body = problem(
        await client.patch(f"{base(program)}/people/{resident['id']}", json={"name": None}), 422
    )
    assert fields_of(body) == {"name"}
    duplicate = problem(
        await client.post(
            f"{base(program)}/people", json={"name": "Ann", "role": "resident", "pgy": 2}
        ),
        409,
    )
    assert duplicate["rule"] == "unique_person_name"
    assert ok(await client.get(f"{base(program)}/people"))["total"] == 1


async def test_pgy_change_must_keep_the_plan_eligible(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    resident = await make_resident(client, program, "Ann", pgy=1)
    surgery = await make_rotation(client, program, "SURG", eligible_pgy=[1])
    block = await block_by_number(client, program, 1)
    ok(
        await client.post(
            f"{base(program)}/rotation-plan",
            json={
                "person_id": resident["id"],
                "block_id": block["id"],
                "rotation_id": surgery["id"],
            },
        ),
        201,
    )
    body = problem(
        await client.patch(f"{base(program)}/people/{resident['id']}", json={"pgy": 2}), 409
    )
    assert body["rule"] == "rotation_pgy_eligibility"


async def test_activity_codes_are_unique_and_in_use_ones_stay(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    clinic = await make_activity(
        client, program, "C", needs_supervision=True, sees_patients=True, color="#2e86de"
    )
    assert (clinic["am_start"], clinic["color"]) == (None, "#2e86de")
    body = problem(
        await client.post(
            f"{base(program)}/activities", json={"code": "C", "name": "Again", "category": "off"}
        ),
        409,
    )
    assert body["rule"] == "unique_activity_code"
    body = problem(
        await client.post(
            f"{base(program)}/activities",
            json={"code": "N", "name": "Half", "category": "clinical", "am_start": "08:00"},
        ),
        422,
    )
    assert fields_of(body) == {"am_end"}
    body = problem(
        await client.post(
            f"{base(program)}/activities",
            json={"code": "bad code!", "name": "x", "category": "nope"},
        ),
        422,
    )
    assert fields_of(body) == {"code", "category"}
    await make_rotation(client, program, "CLIN", weekly_pattern={"monday": {"AM": "C"}})
    body = problem(await client.delete(f"{base(program)}/activities/{clinic['id']}"), 409)
    assert body["rule"] == "activity_in_use"


async def test_rotation_rules(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    await make_activity(client, program, "C")
    body = problem(
        await client.post(
            f"{base(program)}/rotations",
            json={
                "name": "Clinic",
                "abbreviation": "CLIN",
                "weekly_pattern": {"monday": {"AM": "C", "PM": "ZZ"}, "funday": {"AM": "C"}},
            },
        ),
        422,
    )
    assert fields_of(body) == {"weekly_pattern.funday"}
    body = problem(
        await client.post(
            f"{base(program)}/rotations",
            json={
                "name": "Clinic",
                "abbreviation": "CLIN",
                "weekly_pattern": {"monday": {"PM": "ZZ"}},
            },
        ),
        422,
    )
    assert fields_of(body) == {"weekly_pattern.monday.PM"}
    body = problem(
        await client.post(
            f"{base(program)}/rotations",
            json={"name": "Clinic", "abbreviation": "CLIN", "min_residents": 3, "max_residents": 2},
        ),
        422,
    )
    assert "max_residents" in body["detail"]
    rotation = await make_rotation(client, program, "CLIN", weekly_pattern={"monday": {"AM": "C"}})
    assert rotation["weekly_pattern"]["monday"] == {"AM": "C", "PM": None}
    body = problem(
        await client.post(
            f"{base(program)}/rotations", json={"name": "Other", "abbreviation": "CLIN"}
        ),
        409,
    )
    assert body["rule"] == "unique_rotation_name"
