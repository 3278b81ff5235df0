"""Admin pages: forms with labels, the API's own rules, errors in place in plain words."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from tests.api.factories import base, make_activity, make_program, make_resident, ok
from tests.web.helpers import PageClient, page_client, page_text


async def coordinator(app: FastAPI, client: httpx.AsyncClient) -> tuple[dict, PageClient]:
    program = await make_program(client)
    page = await page_client(app, "coco", roles=[(program["id"], "coordinator", None)])
    return program, page


def labels_cover_inputs(html: str) -> None:
    """Every visible input, select and textarea has a <label for=...>."""
    ids = re.findall(
        r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', html
    )
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    assert ids and set(ids) <= labelled, set(ids) - labelled


async def test_people_are_added_and_errors_show_next_to_their_field(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    program, page = await coordinator(app, client)
    url = f"/ui/programs/{program['id']}/admin/people"
    empty = await page.get(url)
    labels_cover_inputs(empty.text)
    missing = await page.post_form(url, {"name": "Rae", "role": "resident", "active": "on"})
    assert missing.status_code == 422
    text = page_text(missing.text)
    assert "PGY: Required for a resident." in text
    assert re.search(r'id="f-pgy"[^>]*aria-invalid="true"', missing.text.replace("\n", " "))
    assert 'value="Rae"' in missing.text  # what was typed stays
    created = await page.post_form(
        url, {"name": "Rae", "role": "resident", "pgy": "2", "active": "on"}
    )
    assert (created.status_code, created.headers["location"]) == (303, f"{url}?notice=created")
    again = await page.post_form(url, {"name": "Rae", "role": "resident", "pgy": "1"})
    assert again.status_code == 409
    assert "Name: The program already has a person named 'Rae'." in page_text(again.text)
    people = ok(await client.get(f"{base(program)}/people"))["items"]
    assert [(p["name"], p["pgy"]) for p in people] == [("Rae", 2)]


async def test_an_edit_made_meanwhile_is_not_overwritten(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    program, page = await coordinator(app, client)
    rae = await make_resident(client, program, "Rae", pgy=2)
    url = f"/ui/programs/{program['id']}/admin/people/{rae['id']}"
    form = await page.get(url)
    version = re.search(r'name="version" value="(\d+)"', form.text).group(1)  # type: ignore[union-attr]
    ok(await client.patch(f"{base(program)}/people/{rae['id']}", json={"pgy": 3}))
    stale = await page.post_form(
        url, {"version": version, "name": "Rae R", "role": "resident", "pgy": "2", "active": "on"}
    )
    assert stale.status_code == 412
    assert "Someone changed this while you were editing it" in page_text(stale.text)
    assert ok(await client.get(f"{base(program)}/people/{rae['id']}"))["pgy"] == 3


async def test_activities_and_rotations(app: FastAPI, client: httpx.AsyncClient) -> None:
    program, page = await coordinator(app, client)
    url = f"/ui/programs/{program['id']}/admin/activities"
    labels_cover_inputs((await page.get(url)).text)
    bad = await page.post_form(
        url,
        {
            "code": "C",
            "name": "Clinic",
            "category": "clinical",
            "am_start": "08:00",
            "color": "#123456",
        },
    )
    assert bad.status_code == 422
    assert "AM ends: Give both am start and am end, or neither." in page_text(bad.text)
    good = await page.post_form(
        url,
        {
            "code": "C",
            "name": "Clinic",
            "category": "clinical",
            "color": "#123456",
            "counts_toward_hours": "on",
            "sees_patients": "on",
        },
    )
    assert good.status_code == 303
    activities = ok(await client.get(f"{base(program)}/activities"))["items"]
    assert [(a["code"], a["color"], a["sees_patients"], a["procedures"]) for a in activities] == [
        ("C", "#123456", True, False)
    ]
    rotations = f"/ui/programs/{program['id']}/admin/rotations"
    labels_cover_inputs((await page.get(rotations)).text)
    unknown = await page.post_form(
        rotations,
        {
            "name": "Clinic",
            "abbreviation": "CLIN",
            "min_residents": "0",
            "max_residents": "4",
            "eligible_pgy": "1",
            "weekly_pattern.monday.AM": "NOPE",
        },
    )
    assert unknown.status_code == 422
    made = await page.post_form(
        rotations,
        [
            ("name", "Clinic"),
            ("abbreviation", "CLIN"),
            ("min_residents", "0"),
            ("max_residents", "4"),
            ("eligible_pgy", "1"),
            ("eligible_pgy", "2"),
            ("leave_allowed", "on"),
            ("weekly_pattern.monday.AM", "C"),
        ],
    )
    assert made.status_code == 303, page_text(made.text)
    rotation = ok(await client.get(f"{base(program)}/rotations"))["items"][0]
    assert rotation["weekly_pattern"] == {"monday": {"AM": "C", "PM": None}}
    assert rotation["eligible_pgy"] == [1, 2] and rotation["leave_allowed"] is True
    in_use = await page.post_form(f"{url}/{activities[0]['id']}/delete")
    assert in_use.status_code == 409
    assert "rotation(s) Clinic use it" in page_text(in_use.text)
    await make_activity(client, program, "ADM")


async def test_program_settings_are_edited_with_their_rules(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    program, page = await coordinator(app, client)
    url = f"/ui/programs/{program['id']}/admin/settings"
    form = await page.get(url)
    labels_cover_inputs(form.text)
    fields = dict(
        re.findall(
            r'<input id="f-[^"]+" name="([^"]+)" type="(?:number|text|time)" value="([^"]*)"',
            form.text,
        )
    )
    assert fields["duty_hours.max_weekly_hours"] == "80.0"
    checked = re.findall(r'name="([^"]+)" (?:type="checkbox" )?value="([^"]+)" checked', form.text)
    posted = {
        **fields,
        "block_weekday": "thursday",
        "protected_education.weekday": "wednesday",
        "protected_education.session": "PM",
        "protected_education.enabled": "on",
        "swaps.approval_required": "on",
        "version": "1",
    }
    pairs = list(posted.items()) + checked
    bad = await page.post_form(
        url,
        [
            *[(k, v) for k, v in pairs if k != "duty_hours.max_weekly_hours"],
            ("duty_hours.max_weekly_hours", "-5"),
        ],
    )
    assert bad.status_code == 422
    assert "Weekly hours limit (28-day average): Enter more than 0." in page_text(bad.text)
    good = await page.post_form(
        url,
        [
            *[(k, v) for k, v in pairs if k != "duty_hours.max_weekly_hours"],
            ("duty_hours.max_weekly_hours", "72"),
        ],
    )
    assert good.status_code == 303, page_text(good.text)
    stored = ok(await client.get(base(program)))
    assert stored["settings"]["duty_hours"]["max_weekly_hours"] == 72.0
    assert set(stored["settings"]["covered_call_nights"]) == {
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
    }
