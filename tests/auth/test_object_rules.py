"""Cross-program isolation and object-level rules: own requests, own hours, own details."""

from __future__ import annotations

import httpx

from tests.api.factories import base, make_program, make_resident, ok, problem, sign_in
from tests.auth.conftest import World

LEAVE = {"kind": "conference", "start_date": "2026-11-02", "end_date": "2026-11-03"}


async def test_a_coordinator_of_a_gets_404_on_program_b(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    outsider = world.headers["outsider"]  # coordinator of program B
    a = base(world.program)
    for url in (
        a,
        f"{a}/people",
        f"{a}/people/{world.resident['id']}",
        f"{a}/absences/{world.own_absence['id']}",
        f"{a}/compliance",
        f"{a}/audit",
    ):
        assert problem(await anonymous.get(url, headers=outsider), 404)["title"] == "Not found"
    patch = await anonymous.patch(
        f"{a}/people/{world.resident['id']}", json={"name": "Renamed"}, headers=outsider
    )
    problem(patch, 404)
    problem(await anonymous.delete(a, headers=outsider), 404)
    listed = ok(await anonymous.get("/api/v1/programs", headers=outsider))
    assert [p["name"] for p in listed["items"]] == ["Program B"]
    b_people = ok(await anonymous.get(f"{base(world.other_program)}/people", headers=outsider))
    assert b_people["total"] == 0


async def test_a_404_does_not_tell_a_foreign_program_from_a_missing_one(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    outsider = world.headers["outsider"]
    foreign = await anonymous.get(base(world.program), headers=outsider)
    missing = await anonymous.get(
        "/api/v1/programs/00000000-0000-0000-0000-000000000000", headers=outsider
    )
    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert foreign.json()["title"] == missing.json()["title"]


async def test_a_resident_files_and_changes_only_their_own_requests(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    me, url = world.headers["resident"], f"{base(world.program)}/absences"
    mine = ok(
        await anonymous.post(url, json={**LEAVE, "person_id": world.resident["id"]}, headers=me),
        201,
    )
    assert mine["status"] == "requested"
    refused = await anonymous.post(
        url, json={**LEAVE, "person_id": world.other_resident["id"]}, headers=me
    )
    problem(refused, 403)
    listed = ok(await anonymous.get(url, headers=me))
    assert {a["person_id"] for a in listed["items"]} == {world.resident["id"]}
    other = f"{url}/{world.other_absence['id']}"
    problem(await anonymous.get(other, headers=me), 403)
    problem(await anonymous.patch(other, json={"reason": "mine now"}, headers=me), 403)
    problem(await anonymous.delete(other, headers=me), 403)
    ok(await anonymous.patch(f"{url}/{mine['id']}", json={"reason": "ACGME talk"}, headers=me))


async def test_a_resident_cannot_approve_their_own_leave(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    me, url = world.headers["resident"], f"{base(world.program)}/absences"
    own = f"{url}/{world.own_absence['id']}"
    body = problem(await anonymous.patch(own, json={"status": "approved"}, headers=me), 403)
    assert "coordinator or chief" in body["detail"]
    approved = {**LEAVE, "person_id": world.resident["id"], "status": "approved"}
    problem(await anonymous.post(url, json=approved, headers=me), 403)
    chief = world.headers["chief"]
    ok(await anonymous.patch(own, json={"status": "approved"}, headers=chief))
    problem(await anonymous.patch(own, json={"reason": "longer"}, headers=me), 403)
    problem(await anonymous.delete(own, headers=me), 403)
    cancelled = ok(await anonymous.patch(own, json={"status": "cancelled"}, headers=me))
    assert cancelled["status"] == "cancelled"


async def test_faculty_cannot_act_on_anothers_request(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    faculty, url = world.headers["faculty"], f"{base(world.program)}/absences"
    resident_leave = f"{url}/{world.own_absence['id']}"
    problem(
        await anonymous.patch(resident_leave, json={"status": "cancelled"}, headers=faculty), 403
    )
    problem(await anonymous.get(resident_leave, headers=faculty), 403)
    assert ok(await anonymous.get(url, headers=faculty))["total"] == 0
    own = ok(
        await anonymous.post(
            url, json={**LEAVE, "person_id": world.faculty["id"]}, headers=faculty
        ),
        201,
    )
    assert ok(await anonymous.get(url, headers=faculty))["items"] == [own]


async def test_residents_and_faculty_see_their_own_details_and_the_schedule(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    me, a = world.headers["resident"], base(world.program)
    people = ok(await anonymous.get(f"{a}/people", headers=me))
    assert [p["id"] for p in people["items"]] == [world.resident["id"]]
    problem(await anonymous.get(f"{a}/people/{world.faculty['id']}", headers=me), 403)
    problem(
        await anonymous.patch(f"{a}/people/{world.resident['id']}", json={"pgy": 3}, headers=me),
        403,
    )
    assert ok(await anonymous.get(f"{a}/assignments", headers=me))["total"] == 1
    assert ok(await anonymous.get(f"{a}/shifts", headers=me))["total"] == 1  # R2's call
    problem(await anonymous.post(f"{a}/schedule-runs", json={}, headers=me), 403)
    problem(await anonymous.get(f"{a}/schedule-runs", headers=me), 403)


async def test_a_resident_sees_only_their_own_hours(
    world: World, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    report_url = f"{base(world.program)}/compliance"
    everyone = ok(await client.get(report_url))
    assert {r["person"] for r in everyone["residents"]} == {
        world.resident["id"],
        world.other_resident["id"],
    }
    mine = ok(await anonymous.get(report_url, headers=world.headers["resident"]))
    assert [r["person"] for r in mine["residents"]] == [world.resident["id"]]
    assert all(v["person"] == world.resident["id"] for v in mine["violations"])
    faculty = ok(await anonymous.get(report_url, headers=world.headers["faculty"]))
    assert faculty["residents"] == []


async def test_an_unlinked_resident_account_sees_nothing_personal(
    app: object, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    program = await make_program(client)
    await make_resident(client, program, "Nobody Linked")
    headers = await sign_in(app, "unlinked@test", roles=[(program["id"], "resident", None)])  # type: ignore[arg-type]
    body = problem(await anonymous.get(f"{base(program)}/absences", headers=headers), 403)
    assert "not linked to a person" in body["detail"]
    ok(await anonymous.get(f"{base(program)}/blocks", headers=headers))


async def test_coordinators_and_chiefs_manage_admins_administer(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    a = base(world.program)
    for role in ("coordinator", "chief"):
        headers = world.headers[role]
        ok(await anonymous.patch(a, json={"settings": {}}, headers=headers))
        problem(await anonymous.delete(a, headers=headers), 403)
        problem(await anonymous.post("/api/v1/programs", json={"name": "X"}, headers=headers), 403)
        problem(await anonymous.get("/api/v1/admin/users", headers=headers), 403)
    ok(await anonymous.get(f"{a}/audit", headers=world.headers["coordinator"]))
    problem(await anonymous.get(f"{a}/audit", headers=world.headers["chief"]), 403)
