"""Compliance through the API: posted timelines and a program's stored schedule."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from tests.api.factories import (
    base,
    fields_of,
    make_activity,
    make_faculty,
    make_program,
    make_resident,
    ok,
    problem,
)


def shared_examples() -> Path:
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "examples").is_dir():
            return parent / "shared" / "examples"
    pytest.fail("shared/examples was not found above the repository")


@pytest.mark.parametrize("name", ["timeline-80h", "timeline-call"])
async def test_check_matches_the_shared_examples(client: httpx.AsyncClient, name: str) -> None:
    folder = shared_examples()
    document = json.loads((folder / f"{name}.json").read_text())
    expected = json.loads((folder / f"{name}.expected.json").read_text())["violations"]
    found = ok(await client.post("/api/v1/compliance/check", json=document))["violations"]
    assert [{k: v for k, v in f.items() if k != "message"} for f in found] == expected


async def test_check_accepts_a_schedule_embedding_a_timeline(client: httpx.AsyncClient) -> None:
    document = json.loads((shared_examples() / "timeline-call.json").read_text())
    found = ok(await client.post("/api/v1/compliance/check", json={"timeline": document}))
    assert [v["rule"] for v in found["violations"]] == [
        "continuous_duty",
        "transition_time",
        "rest_after_24",
    ]


async def test_check_names_each_bad_field(client: httpx.AsyncClient) -> None:
    document = {
        "timezone": "Mars/Base",
        "people": [{"id": "r1", "role": "resident"}],
        "duties": [
            {
                "person": "r1",
                "start": "2026-07-01T08:00:00",
                "end": "2026-07-01T09:00:00-05:00",
                "kind": "clinical",
            },
            {
                "person": "zz",
                "start": "2026-07-01T10:00:00-05:00",
                "end": "2026-07-01T09:00:00-05:00",
                "kind": "surgery",
            },
        ],
    }
    body = problem(await client.post("/api/v1/compliance/check", json=document), 422)
    assert {
        "timezone",
        "duties[0].start",
        "duties[1].kind",
        "duties[1].end",
        "duties[1].person",
    } <= fields_of(body)


async def schedule_long_wards(client: httpx.AsyncClient, program: dict, resident: dict) -> None:
    """14 h a day from 3 Sep 2026, one day off a week: 24 x 14 = 336 h in 28 days."""
    wards = await make_activity(
        client,
        program,
        "W",
        "inpatient",
        am_start="06:00",
        am_end="13:00",
        pm_start="13:00",
        pm_end="20:00",
    )
    first = date(2026, 9, 3)
    for offset in range(28):
        if offset % 7 == 6:
            continue
        for session in ("AM", "PM"):
            payload = {
                "person_id": resident["id"],
                "session": session,
                "activity_id": wards["id"],
                "date": (first + timedelta(days=offset)).isoformat(),
            }
            ok(await client.post(f"{base(program)}/assignments", json=payload), 201)


async def test_program_compliance_reports_duty_and_program_rules(
    client: httpx.AsyncClient,
) -> None:
    program = await make_program(client)
    clinic = await make_activity(client, program, "C", needs_supervision=True, sees_patients=True)
    resident = await make_resident(client, program, "Ann Long-Hours", pgy=2)
    intern = await make_resident(client, program, "Ivy Intern", pgy=1)
    await make_faculty(client, program, "Dr Absent")
    await schedule_long_wards(client, program, resident)
    url = f"{base(program)}/assignments"
    unsupervised = {
        "person_id": intern["id"],
        "date": "2026-09-08",
        "session": "AM",
        "activity_id": clinic["id"],
    }
    ok(await client.post(url, json=unsupervised), 201)

    report = ok(
        await client.get(
            f"{base(program)}/compliance", params={"start": "2026-09-01", "end": "2026-10-15"}
        )
    )
    rules = {(v["rule"], v["person"]) for v in report["violations"]}
    assert ("hours_80", resident["id"]) in rules
    assert ("supervision_ratio", "") in rules
    hours = next(v for v in report["violations"] if v["rule"] == "hours_80")
    assert (hours["value"], hours["limit"]) == (336.0, 320.0)
    assert hours["start"] == "2026-09-01T00:00:00-05:00"  # W(1 Sep) already holds 23 x 14 h
    summary = next(r for r in report["residents"] if r["person"] == resident["id"])
    assert summary["name"] == "Ann Long-Hours"
    assert summary["total_hours"] == 336.0
    assert summary["weeks"][0]["start"] == "2026-09-01"
    assert max(d["average_weekly_hours"] for d in summary["rolling_average"]) == 84.0


async def test_program_compliance_window_sees_history_before_start(
    client: httpx.AsyncClient,
) -> None:
    """A 28-day window that ends inside the requested dates counts its earlier days."""
    program = await make_program(client)
    resident = await make_resident(client, program, "Ann", pgy=2)
    await schedule_long_wards(client, program, resident)
    report = ok(
        await client.get(
            f"{base(program)}/compliance", params={"start": "2026-09-30", "end": "2026-10-10"}
        )
    )
    mine = [v for v in report["violations"] if v["person"] == resident["id"]]
    # W(3 Sep) is the first window that ends inside 30 Sep..10 Oct; it holds all 336 h
    assert [(v["rule"], v["start"], v["value"]) for v in mine] == [
        ("hours_80", "2026-09-03T00:00:00-05:00", 336.0)
    ]


async def test_program_compliance_rejects_bad_ranges(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    url = f"{base(program)}/compliance"
    body = problem(await client.get(url, params={"start": "2026-10-01", "end": "2026-09-01"}), 422)
    assert fields_of(body) == {"end"}
    body = problem(await client.get(url, params={"start": "2026-13-01", "end": "2026-09-01"}), 422)
    assert fields_of(body) == {"query.start"}
    whole_year = ok(await client.get(url))
    assert (whole_year["start"], whole_year["end"]) == ("2026-07-01", "2027-06-30")
