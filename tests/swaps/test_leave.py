"""Leave decisions: slots become LV, conflicting rows are released, gaps are listed with
ranked candidates, and picking one is a validated one-step change."""

from __future__ import annotations

import httpx

from tests.api.factories import fields_of, ok, problem
from tests.swaps.helpers import holder, shift_holders, violations
from tests.swaps.world import World


async def absence(
    client: httpx.AsyncClient,
    world: World,
    name: str,
    first: str,
    last: str,
    kind: str = "vacation",
) -> dict:
    return ok(
        await client.post(
            f"{world.base}/absences",
            json={
                "person_id": world.people[name],
                "kind": kind,
                "start_date": first,
                "end_date": last,
            },
        ),
        201,
    )


async def approve(
    client: httpx.AsyncClient, world: World, leave: dict, status: int = 200, **body: str
) -> dict:
    response = await client.post(f"{world.base}/absences/{leave['id']}/approve", json=body or None)
    assert response.status_code == status, response.text
    return response.json()


async def test_a_residents_leave_becomes_locked_lv_and_releases_their_rows(
    client: httpx.AsyncClient, world: World
) -> None:
    leave = await absence(client, world, "R1", "2026-09-04", "2026-09-05")
    decision = await approve(client, world, leave)
    assert decision["absence"]["status"] == "approved"
    ops = sorted((c["op"], c["date"], c["session"] or c["kind"]) for c in decision["changes"])
    assert [op for op in ops if op[0] == "delete"] == [
        ("delete", "2026-09-04", "AM"),
        ("delete", "2026-09-04", "PM"),
        ("delete", "2026-09-05", "call"),
    ]
    assert sum(op[0] == "create" for op in ops) == 4
    rows = ok(
        await client.get(
            f"{world.base}/assignments",
            params={
                "person_id": world.people["R1"],
                "date_from": "2026-09-04",
                "date_to": "2026-09-05",
            },
        )
    )["items"]
    assert {(r["activity_id"], r["locked"]) for r in rows} == {(world.activities["LV"], True)}
    assert await shift_holders(client, world, "call", "2026-09-05") == []
    assert decision["gaps"] == [
        {
            "kind": "resident_call",
            "date": "2026-09-05",
            "session": None,
            "required": 1,
            "scheduled": 0,
            "message": "2026-09-05: no resident on in-house call",
            "days": [],
            "candidates": decision["gaps"][0]["candidates"],
        }
    ]
    assert {c["name"] for c in decision["gaps"][0]["candidates"]} == {"R2", "R3"}
    assert decision["away_days"]["days"] == 2 and decision["away_days"]["level"] == "ok"
    for change in decision["changes"]:
        entries = ok(await client.get(f"{world.base}/audit", params={"entity_id": change["id"]}))
        assert [e["action"] for e in entries["items"]] == [change["op"]]
    assert await violations(client, world) == []
    again = await client.post(f"{world.base}/absences/{leave['id']}/approve")
    assert problem(again, 409)["rule"] == "absence_status"


async def test_a_faculty_leave_lists_gaps_and_a_candidate_fills_each(
    client: httpx.AsyncClient, world: World
) -> None:
    leave = await absence(client, world, "F3", "2026-09-07", "2026-09-07")
    preview = ok(await client.get(f"{world.base}/absences/{leave['id']}/coverage"))
    decision = await approve(client, world, leave)
    gaps = {(g["kind"], g["session"]): g for g in decision["gaps"]}
    assert set(gaps) == {("supervision", "AM"), ("faculty_call", None)}
    assert preview["gaps"] == decision["gaps"]
    # F1 attends FMIT, F2 is post-call (supervision) or has Tuesday clinic after the night.
    assert [c["name"] for c in gaps[("supervision", "AM")]["candidates"]] == ["F4"]
    assert [c["name"] for c in gaps[("faculty_call", None)]["candidates"]] == ["F4"]
    assert await holder(client, world, "2026-09-07", "AM") is None
    assert {v["rule"] for v in await violations(client, world)} == {
        "supervision_ratio",
        "faculty_call_coverage",
    }
    refused = await client.post(
        f"{world.base}/coverage",
        json={
            "gap": "supervision",
            "date": "2026-09-07",
            "session": "AM",
            "person_id": world.people["F2"],
        },
    )
    body = problem(refused, 409)
    assert body["rule"] == "post_call"
    assert [v["rule"] for v in body["violations"] if v["introduced"]] == ["post_call"]
    key = {"Idempotency-Key": "cover-monday-call"}
    call = {"gap": "faculty_call", "date": "2026-09-07", "person_id": world.people["F4"]}
    first = ok(await client.post(f"{world.base}/coverage", json=call, headers=key), 201)
    replay = await client.post(f"{world.base}/coverage", json=call, headers=key)
    assert (replay.status_code, replay.json()) == (201, first)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert await shift_holders(client, world, "faculty_call", "2026-09-07") == ["F4"]
    ok(
        await client.post(
            f"{world.base}/coverage",
            json={
                "gap": "supervision",
                "date": "2026-09-07",
                "session": "AM",
                "person_id": world.people["F4"],
            },
        ),
        201,
    )
    assert await holder(client, world, "2026-09-07", "AM") == "F4"
    assert await violations(client, world) == []
    remaining = ok(await client.get(f"{world.base}/absences/{leave['id']}/coverage"))
    assert remaining["gaps"] == []
    filled = await client.post(f"{world.base}/coverage", json=call)
    assert problem(filled, 409)["rule"] == "no_gap"


async def test_leave_on_a_rotation_without_leave_needs_an_override(
    client: httpx.AsyncClient, world: World
) -> None:
    rotation = ok(
        await client.post(
            f"{world.base}/rotations",
            json={
                "name": "Inpatient",
                "abbreviation": "WARDS",
                "leave_allowed": False,
            },
        ),
        201,
    )
    blocks = ok(await client.get(f"{world.base}/blocks", params={"limit": 20}))["items"]
    block = next(b for b in blocks if b["start_date"] <= "2026-09-15" <= b["end_date"])
    ok(
        await client.post(
            f"{world.base}/rotation-plan",
            json={
                "person_id": world.people["R2"],
                "block_id": block["id"],
                "rotation_id": rotation["id"],
            },
        ),
        201,
    )
    leave = await absence(client, world, "R2", "2026-09-15", "2026-09-16")
    body = await approve(client, world, leave, 409)
    assert body["rule"] == "leave_eligibility"
    assert body["days"] == ["2026-09-15", "2026-09-16"]
    assert ok(await client.get(f"{world.base}/absences/{leave['id']}"))["status"] == "requested"
    empty = await client.post(
        f"{world.base}/absences/{leave['id']}/approve", json={"override_reason": ""}
    )
    assert fields_of(problem(empty, 422)) == {"override_reason"}
    decision = await approve(client, world, leave, override_reason="family emergency")
    assert decision["absence"]["override_reason"] == "family emergency"
    assert await violations(client, world) == []


async def test_away_days_warn_at_21_and_flag_at_28(client: httpx.AsyncClient, world: World) -> None:
    first = await absence(client, world, "R3", "2026-10-01", "2026-10-21", "medical")
    assert (await approve(client, world, first))["away_days"] == {
        "days": 21,
        "warn_at": 21,
        "flag_at": 28,
        "level": "warning",
        "message": "R3 has 21 days away this year",
    }
    conference = await absence(client, world, "R3", "2026-11-02", "2026-11-09", "conference")
    assert (await approve(client, world, conference))["away_days"]["level"] == "warning"
    second = await absence(client, world, "R3", "2027-01-04", "2027-01-10")
    decision = await approve(client, world, second)
    assert decision["away_days"]["days"] == 28
    assert decision["away_days"]["level"] == "flag"
    mine = [v for v in decision["violations"] if v["person"] == world.people["R3"]]
    assert [(v["rule"], v["severity"], v["introduced"]) for v in mine] == [
        ("away_days", "violation", True)
    ]


async def test_deny_and_bad_input(client: httpx.AsyncClient, world: World) -> None:
    leave = await absence(client, world, "R1", "2026-09-14", "2026-09-14")
    denied = ok(
        await client.post(
            f"{world.base}/absences/{leave['id']}/deny", json={"reason": "clinic is short"}
        )
    )
    assert denied["status"] == "denied" and "clinic is short" in denied["reason"]
    assert (
        problem(await client.post(f"{world.base}/absences/{leave['id']}/approve"), 409)["rule"]
        == "absence_status"
    )
    stale = await absence(client, world, "R2", "2026-09-14", "2026-09-14")
    problem(
        await client.post(
            f"{world.base}/absences/{stale['id']}/approve", headers={"If-Match": '"7"'}
        ),
        412,
    )
    url = f"{world.base}/coverage"
    for payload, field in (
        ({"gap": "supervision", "date": "2026-09-07", "person_id": world.people["F4"]}, "session"),
        ({"gap": "fmit", "date": "2026-09-07", "person_id": world.people["F4"]}, "date"),
        ({"gap": "nap", "date": "2026-09-07", "person_id": world.people["F4"]}, "gap"),
        ({"gap": "faculty_call", "date": "2026-09-07"}, "person_id"),
        (
            {
                "gap": "supervision",
                "date": "2026-09-07",
                "session": "AM",
                "person_id": world.people["F4"],
                "activity_id": world.activities["C"],
            },
            "activity_id",
        ),
    ):
        assert field in fields_of(problem(await client.post(url, json=payload), 422))
    assert (
        ok(await client.get(f"{world.base}/audit", params={"entity_type": "assignments"}))["total"]
        == 0
    )
