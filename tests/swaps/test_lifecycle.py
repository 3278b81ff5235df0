"""Swap lifecycle, each kind of swap, validation findings and eligibility, over HTTP."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.api.factories import fields_of, ok, problem
from tests.auth.conftest import FrozenClock
from tests.swaps.helpers import (
    executed,
    holder,
    proposal,
    request,
    shift_holders,
    step,
    violations,
)
from tests.swaps.world import World, build_world, schedule_version


async def test_a_clinic_give_away_runs_its_whole_lifecycle(
    app: FastAPI, client: httpx.AsyncClient, world: World
) -> None:
    payload = proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    check = ok(await client.post(f"{world.base}/swaps/validate", json=payload))
    assert check["executable"] and check["problems"] == []
    assert [(c["person_before"], c["person_after"]) for c in check["changes"]] == [
        (world.people["F3"], world.people["F4"])
    ]
    swap = await request(client, world, payload)
    assert (swap["status"], swap["mode"], swap["first_date"]) == (
        "requested",
        "directed",
        "2026-09-07",
    )
    assert (await step(client, world, swap, "accept"))["status"] == "accepted"
    assert (await step(client, world, swap, "approve"))["status"] == "approved"
    version = await schedule_version(app, world)
    done = await step(client, world, swap, "execute")
    assert done["status"] == "executed" and done["executed_at"]
    assert await holder(client, world, "2026-09-07", "AM") == "F4"
    assert await schedule_version(app, world) == version + 1
    [change] = done["changes"]
    assert change["before"]["version"] + 1 == change["after"]["version"]
    assert (change["before"]["person_id"], change["after"]["person_id"]) == (
        world.people["F3"],
        world.people["F4"],
    )
    # Every view reads the same tables: the block grid shows the new owner too.
    blocks = ok(await client.get(f"{world.base}/blocks", params={"limit": 20}))["items"]
    block = next(b for b in blocks if b["start_date"] <= "2026-09-07" <= b["end_date"])
    grid = ok(await client.get(f"{world.base}/blocks/{block['id']}/schedule"))
    cell = [
        a
        for a in grid["assignments"]
        if a["date"] == "2026-09-07" and a["session"] == "AM" and a["activity"] == "AT"
    ]
    assert [world.name_of(a["person"]) for a in cell] == ["F4"]
    audit = ok(await client.get(f"{world.base}/audit", params={"entity_id": swap["id"]}))
    assert [e["action"] for e in audit["items"]] == ["execute", "approve", "accept", "create"]
    row_audit = ok(await client.get(f"{world.base}/audit", params={"entity_id": change["id"]}))
    assert [e["action"] for e in row_audit["items"]] == ["update"]
    assert await violations(client, world) == []


async def test_an_fmit_week_one_to_one_exchanges_the_weeks_and_their_rows(
    client: httpx.AsyncClient, world: World
) -> None:
    payload = proposal(world, "fmit_week", "F1", "F2", "2026-09-04", wanted="2026-09-11")
    done = await executed(client, world, payload)
    assert await shift_holders(client, world, "fmit_week", "2026-09-04") == ["F2"]
    assert await shift_holders(client, world, "fmit_week", "2026-09-11") == ["F1"]
    # F2's week-1 calls and precepting went to F1, F1's week-2 ones to F2.
    assert await shift_holders(client, world, "faculty_call", "2026-09-09") == ["F1"]
    assert await shift_holders(client, world, "faculty_call", "2026-09-14") == ["F2"]
    assert await holder(client, world, "2026-09-08", "AM") == "F1"
    assert await holder(client, world, "2026-09-16", "AM") == "F2"
    assert len(done["changes"]) == 9
    assert await violations(client, world) == []


async def test_an_fmit_give_away_moves_the_takers_week_rows_to_the_giver(
    client: httpx.AsyncClient, world: World
) -> None:
    await executed(client, world, proposal(world, "fmit_week", "F1", "F3", "2026-09-04"))
    assert await shift_holders(client, world, "fmit_week", "2026-09-04") == ["F3"]
    assert await holder(client, world, "2026-09-07", "AM") == "F1"  # F3's clinic that week
    assert await holder(client, world, "2026-09-11", "PM") == "F1"  # and its recovery Friday
    assert await shift_holders(client, world, "faculty_call", "2026-09-10") == ["F1"]
    assert await violations(client, world) == []


async def test_call_nights_swap_and_a_give_away_takes_the_post_call_morning(
    client: httpx.AsyncClient, world: World
) -> None:
    await executed(
        client, world, proposal(world, "call_night", "F3", "F4", "2026-09-07", wanted="2026-09-08")
    )
    assert await shift_holders(client, world, "faculty_call", "2026-09-07") == ["F4"]
    assert await shift_holders(client, world, "faculty_call", "2026-09-08") == ["F3"]
    assert await holder(client, world, "2026-09-09", "AM") == "F4"  # F3 is post-call now
    # F2 gives Wednesday's call to F4: F4's Thursday-morning clinic comes back to F2.
    await executed(client, world, proposal(world, "call_night", "F2", "F4", "2026-09-09"))
    assert await shift_holders(client, world, "faculty_call", "2026-09-09") == ["F4"]
    assert await holder(client, world, "2026-09-10", "AM") == "F2"
    assert await violations(client, world) == []


async def test_resident_call_nights_swap_with_their_days(
    client: httpx.AsyncClient, world: World
) -> None:
    await executed(
        client, world, proposal(world, "call_night", "R1", "R2", "2026-09-05", wanted="2026-09-12")
    )
    assert await shift_holders(client, world, "call", "2026-09-05") == ["R2"]
    assert await shift_holders(client, world, "call", "2026-09-12") == ["R1"]
    assert await violations(client, world) == []


async def test_a_swap_that_adds_a_violation_is_refused_with_every_finding(
    client: httpx.AsyncClient, world: World
) -> None:
    payload = proposal(world, "clinic_session", "F3", "F2", "2026-09-07", "AM")  # F2 post-call
    check = ok(await client.post(f"{world.base}/swaps/validate", json=payload))
    assert not check["executable"]
    assert [(v["rule"], v["introduced"]) for v in check["violations"]] == [("post_call", True)]
    swap = await request(client, world, payload)
    await step(client, world, swap, "accept")
    await step(client, world, swap, "approve")
    body = problem(await client.post(f"{world.base}/swaps/{swap['id']}/execute"), 409)
    assert body["rule"] == "post_call"
    assert body["violations"][0]["person"] == world.people["F2"]
    assert await holder(client, world, "2026-09-07", "AM") == "F3"  # nothing changed
    assert ok(await client.get(f"{world.base}/swaps/{swap['id']}"))["status"] == "approved"
    back_to_back = proposal(world, "fmit_week", "F2", "F1", "2026-09-11")
    check = ok(await client.post(f"{world.base}/swaps/validate", json=back_to_back))
    assert not check["executable"]
    assert "back-to-back" in " ".join(v["message"] for v in check["violations"])


async def test_eligibility_leave_and_locks_are_checked(
    client: httpx.AsyncClient, world: World
) -> None:
    url = f"{world.base}/swaps/validate"
    to_resident = ok(
        await client.post(
            url, json=proposal(world, "clinic_session", "F3", "R1", "2026-09-07", "AM")
        )
    )
    assert {p["rule"] for p in to_resident["problems"]} == {"role_eligibility"}
    fmit = ok(await client.post(url, json=proposal(world, "fmit_week", "F1", "R1", "2026-09-04")))
    assert "role_eligibility" in {p["rule"] for p in fmit["problems"]}
    # F4 on approved leave on 09-07: its slots are LV and locked.
    leave = ok(
        await client.post(
            f"{world.base}/absences",
            json={
                "person_id": world.people["F4"],
                "kind": "vacation",
                "start_date": "2026-09-07",
                "end_date": "2026-09-07",
            },
        ),
        201,
    )
    ok(await client.post(f"{world.base}/absences/{leave['id']}/approve"))
    onto_leave = ok(
        await client.post(
            url, json=proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
        )
    )
    assert not onto_leave["executable"]
    assert {"locked", "leave_conflict"} & {p["rule"] for p in onto_leave["problems"]}


async def test_resident_call_needs_a_rotation_that_takes_call(
    client: httpx.AsyncClient, world: World
) -> None:
    rotation = ok(
        await client.post(
            f"{world.base}/rotations",
            json={
                "name": "Elective",
                "abbreviation": "ELEC",
                "takes_call": False,
            },
        ),
        201,
    )
    blocks = ok(await client.get(f"{world.base}/blocks", params={"limit": 20}))["items"]
    block = next(b for b in blocks if b["start_date"] <= "2026-09-05" <= b["end_date"])
    ok(
        await client.post(
            f"{world.base}/rotation-plan",
            json={
                "person_id": world.people["R3"],
                "block_id": block["id"],
                "rotation_id": rotation["id"],
            },
        ),
        201,
    )
    check = ok(
        await client.post(
            f"{world.base}/swaps/validate",
            json=proposal(world, "call_night", "R1", "R3", "2026-09-05"),
        )
    )
    assert [p["rule"] for p in check["problems"]] == ["rotation_eligibility"]


async def test_the_freeze_window_needs_a_reason(client: httpx.AsyncClient, world: World) -> None:
    ok(
        await client.post(
            f"{world.base}/assignments",
            json={
                "person_id": world.people["F3"],
                "date": "2026-08-05",
                "session": "AM",
                "activity_id": world.activities["AT"],
            },
        ),
        201,
    )
    payload = proposal(world, "clinic_session", "F3", "F4", "2026-08-05", "AM")
    check = ok(await client.post(f"{world.base}/swaps/validate", json=payload))
    assert [p["rule"] for p in check["problems"]] == ["freeze_window"]
    swap = await request(client, world, payload)
    await step(client, world, swap, "accept")
    await step(client, world, swap, "approve")
    body = problem(await client.post(f"{world.base}/swaps/{swap['id']}/execute"), 409)
    assert body["rule"] == "freeze_window"
    reasoned = {**payload, "reason": "F3 is at a conference"}
    assert ok(await client.post(f"{world.base}/swaps/validate", json=reasoned))["executable"]
    await step(client, world, swap, "cancel")
    done = await executed(client, world, reasoned)
    assert done["status"] == "executed"


async def test_an_open_offer_is_claimed(
    app: FastAPI, client: httpx.AsyncClient, world: World
) -> None:
    offer = await request(
        client,
        world,
        {
            **proposal(world, "clinic_session", "F3", None, "2026-09-07", "AM"),
            "mode": "offer",
        },
    )
    assert offer["counterparty_id"] is None
    body = problem(
        await client.post(
            f"{world.base}/swaps/{offer['id']}/claim", json={"person_id": world.people["F3"]}
        ),
        422,
    )
    assert fields_of(body) == {"person_id"}
    problem(await client.post(f"{world.base}/swaps/{offer['id']}/accept"), 409)
    claimed = await step(client, world, offer, "claim", json={"person_id": world.people["F4"]})
    assert (claimed["status"], claimed["counterparty_id"]) == ("accepted", world.people["F4"])
    again = await step(client, world, offer, "claim", 409, json={"person_id": world.people["F1"]})
    assert again["rule"] == "swap_status"
    await step(client, world, offer, "approve")
    await step(client, world, offer, "execute")
    assert await holder(client, world, "2026-09-07", "AM") == "F4"


async def test_without_approval_acceptance_executes(
    app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
) -> None:
    world = await build_world(app, approval_required=False)
    swap = await request(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    assert (await step(client, world, swap, "accept"))["status"] == "executed"
    assert await holder(client, world, "2026-09-07", "AM") == "F4"
    bad = await request(
        client, world, proposal(world, "clinic_session", "F4", "F2", "2026-09-07", "AM")
    )
    refused = await step(client, world, bad, "accept", 409)
    assert refused["rule"] == "post_call"
    assert ok(await client.get(f"{world.base}/swaps/{bad['id']}"))["status"] == "requested"


async def test_decline_cancel_deny_and_wrong_steps(client: httpx.AsyncClient, world: World) -> None:
    def make(b: str) -> dict:
        return proposal(world, "clinic_session", "F3", b, "2026-09-07", "AM")

    declined = await request(client, world, make("F4"))
    assert (await step(client, world, declined, "decline"))["status"] == "declined"
    assert (await step(client, world, declined, "accept", 409))["rule"] == "swap_status"
    cancelled = await request(client, world, make("F4"))
    assert (await step(client, world, cancelled, "cancel", json={"reason": "changed my mind"}))[
        "status"
    ] == "cancelled"
    denied = await request(client, world, make("F1"))
    await step(client, world, denied, "accept")
    assert (await step(client, world, denied, "deny", json={"reason": "no"}))["status"] == "denied"
    pending = await request(client, world, make("F4"))
    assert (await step(client, world, pending, "execute", 409))["rule"] == "swap_status"
    assert (await step(client, world, pending, "approve", 409))["rule"] == "swap_status"
    assert (await step(client, world, pending, "rollback", 409))["rule"] == "swap_not_executed"
    duplicate = await client.post(f"{world.base}/swaps", json=make("F4"))
    assert problem(duplicate, 409)["rule"] == "swap_duplicate"


async def test_a_swap_past_its_date_expires(
    client: httpx.AsyncClient, world: World, clock: FrozenClock
) -> None:
    swap = await request(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    clock.advance(days=40)  # 2026-09-12
    assert (await step(client, world, swap, "accept", 409))["rule"] == "swap_expired"
    assert ok(await client.get(f"{world.base}/swaps/{swap['id']}"))["status"] == "expired"
    late = await client.post(
        f"{world.base}/swaps",
        json=proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM"),
    )
    assert problem(late, 409)["rule"] == "swap_date_passed"


async def test_history_filters_and_pages(client: httpx.AsyncClient, world: World) -> None:
    first = await executed(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    await request(client, world, proposal(world, "call_night", "F3", "F1", "2026-09-10"))
    await request(client, world, proposal(world, "fmit_week", "F2", "F4", "2026-09-11"))
    url = f"{world.base}/swaps"
    assert ok(await client.get(url))["total"] == 3
    assert [s["id"] for s in ok(await client.get(url, params={"status": "executed"}))["items"]] == [
        first["id"]
    ]
    assert ok(await client.get(url, params={"kind": "fmit_week"}))["total"] == 1
    assert ok(await client.get(url, params={"person_id": world.people["F4"]}))["total"] == 2
    assert ok(await client.get(url, params={"date_from": "2026-09-09"}))["total"] == 2
    assert ok(await client.get(url, params={"date_to": "2026-09-08"}))["total"] == 1
    page = ok(await client.get(url, params={"limit": 2, "offset": 2}))
    assert (page["total"], len(page["items"])) == (3, 1)
    mine = ok(await client.get(f"{world.base}/people/{world.people['F1']}/swaps"))
    assert mine["total"] == 1
    assert (
        ok(
            await client.get(
                f"{world.base}/people/{world.people['F3']}/swaps", params={"kind": "clinic_session"}
            )
        )["total"]
        == 1
    )


async def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    good = proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    cases = {
        "offered.session": {**good, "offered": {"date": "2026-09-07"}},
        "offered.date": proposal(world, "fmit_week", "F1", "F2", "2026-09-05"),
        "wanted.session": {**good, "wanted": {"date": "2026-09-08", "session": "XX"}},
        "requester_id": {**good, "requester_id": "6f9619ff-8b86-d011-b42d-00cf4fc964ff"},
        "counterparty_id": {**good, "counterparty_id": good["requester_id"]},
        "kind": {**good, "kind": "vacation"},
        "note": {**good, "note": 5},
        "body": {**good, "mode": "directed", "counterparty_id": None},
        "unexpected": {**good, "unexpected": 1},
    }
    for field, payload in cases.items():
        body = problem(await client.post(f"{world.base}/swaps", json=payload), 422)
        assert field in fields_of(body) or field in body["detail"], (field, body)
    for payload in ([], "x", {"kind": "fmit_week"}):
        problem(await client.post(f"{world.base}/swaps", json=payload), 422)
        problem(await client.post(f"{world.base}/swaps/validate", json=payload), 422)
    outside = {**good, "offered": {"date": "2027-07-02", "session": "AM"}}
    assert problem(await client.post(f"{world.base}/swaps", json=outside), 409)["rule"] == (
        "date_outside_academic_year"
    )
    not_held = {**good, "offered": {"date": "2026-09-07", "session": "PM"}}
    assert problem(await client.post(f"{world.base}/swaps", json=not_held), 409)["rule"] == (
        "unit_not_held"
    )
    problem(await client.post(f"{world.base}/swaps/{world.people['F1']}/accept"), 404)
    problem(await client.post(f"{world.base}/swaps/not-a-uuid/accept"), 422)
    key = {"Idempotency-Key": "x" * 201}
    problem(await client.post(f"{world.base}/swaps/{world.people['F1']}/execute", headers=key), 422)
    assert ok(await client.get(f"{world.base}/swaps"))["total"] == 0
    audit = ok(await client.get(f"{world.base}/audit", params={"entity_type": "swaps"}))
    assert audit["total"] == 0


async def test_validation_sees_catalogue_changes_at_once(
    client: httpx.AsyncClient, world: World
) -> None:
    """The catalogue cache (PostgreSQL) never serves a stale person or activity."""
    url = f"{world.base}/swaps/validate"
    payload = proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    assert ok(await client.post(url, json=payload))["executable"]
    person = f"{world.base}/people/{world.people['F4']}"
    ok(await client.patch(person, json={"active": False}))
    check = ok(await client.post(url, json=payload))
    assert [p["rule"] for p in check["problems"]] == ["inactive_person"]
    ok(await client.patch(person, json={"active": True, "weekly_clinic_cap": 1}))
    check = ok(await client.post(url, json=payload))
    assert [v["rule"] for v in check["violations"] if v["introduced"]] == ["faculty_clinic_cap"]


async def test_an_obviously_ineligible_request_is_refused_at_once(
    client: httpx.AsyncClient, world: World
) -> None:
    mixed = proposal(world, "clinic_session", "F3", "R1", "2026-09-07", "AM")
    body = problem(await client.post(f"{world.base}/swaps", json=mixed), 409)
    assert body["rule"] == "role_eligibility"
    to_resident = proposal(world, "fmit_week", "F1", "R2", "2026-09-04")
    assert problem(await client.post(f"{world.base}/swaps", json=to_resident), 409)[
        "rule"
    ] == "role_eligibility"


async def test_a_resident_takes_only_rotation_work_their_pgy_allows(
    client: httpx.AsyncClient, world: World
) -> None:
    rotation = ok(
        await client.post(
            f"{world.base}/rotations",
            json={"name": "Senior clinic", "abbreviation": "SRC", "eligible_pgy": [2, 3]},
        ),
        201,
    )
    blocks = ok(await client.get(f"{world.base}/blocks", params={"limit": 20}))["items"]
    block = next(b for b in blocks if b["start_date"] <= "2026-09-12" <= b["end_date"])
    ok(
        await client.post(
            f"{world.base}/rotation-plan",
            json={
                "person_id": world.people["R1"],
                "block_id": block["id"],
                "rotation_id": rotation["id"],
            },
        ),
        201,
    )
    saturday = {"person_id": world.people["R1"], "date": "2026-09-12", "session": "AM"}
    ok(
        await client.post(
            f"{world.base}/assignments", json={**saturday, "activity_id": world.activities["C"]}
        ),
        201,
    )
    url = f"{world.base}/swaps/validate"
    to_pgy1 = proposal(world, "clinic_session", "R1", "R3", "2026-09-12", "AM")
    assert [p["rule"] for p in ok(await client.post(url, json=to_pgy1))["problems"]] == [
        "pgy_eligibility"
    ]
    to_pgy2 = proposal(world, "clinic_session", "R1", "R2", "2026-09-12", "AM")
    assert ok(await client.post(url, json=to_pgy2))["problems"] == []
