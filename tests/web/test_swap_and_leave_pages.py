"""Swaps centre and leave pages: the forms, their checks, errors in place."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from fastapi import FastAPI

from residency.core.calendar import academic_year_of
from tests.api.factories import make_faculty, make_program, make_resident
from tests.web.helpers import page_client, page_text


def next_friday(after: date) -> date:
    return after + timedelta(days=(4 - after.weekday()) % 7)


async def test_a_swap_request_is_checked_and_refusals_show_in_place(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    friday = next_friday(date.today() + timedelta(days=30))
    program = await make_program(client, academic_year=academic_year_of(friday))
    ann = await make_faculty(client, program, "Dr Ann")
    bob = await make_faculty(client, program, "Dr Bob")
    page = await page_client(app, "ann", roles=[(program["id"], "faculty", ann["id"])])
    url = f"/ui/programs/{program['id']}/swaps"
    centre = await page.get(url)
    text = page_text(centre.text)
    assert "Requests waiting for your answer" in text and "Approvals waiting" not in text
    form = await page.get(f"{url}/new")
    assert form.status_code == 200 and "Dr Ann (you)" in page_text(form.text)
    fields = {
        "kind": "fmit_week",
        "mode": "directed",
        "counterparty_id": bob["id"],
        "offered.date": friday.isoformat(),
        "wanted.date": (friday + timedelta(days=14)).isoformat(),
    }
    checked = await page.post_form(f"{url}/check", fields)
    assert checked.status_code == 200
    text = page_text(checked.text)
    assert "Refused This swap cannot be carried out" in text
    assert f"Dr Ann no longer holds the offered FMIT week on {friday}" in text
    sent = await page.post_form(url, fields)
    assert sent.status_code == 409
    text = page_text(sent.text)
    assert f"You give: date: Dr Ann holds no FMIT week on {friday}" in text
    assert 'id="f-offered-date" name="offered.date" type="date"' in sent.text
    assert 'aria-invalid="true"' in sent.text
    missing = await page.post_form(url, {**fields, "offered.date": ""})
    assert missing.status_code == 422
    assert "You give: date:" in page_text(missing.text)
    offer = await page.post_form(f"{url}/check", {**fields, "mode": "offer", "counterparty_id": ""})
    assert "an open offer is checked when someone claims it" in page_text(offer.text).lower()


async def test_leave_is_requested_by_a_resident_and_decided_by_a_coordinator(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    start = date.today() + timedelta(days=30)
    program = await make_program(client, academic_year=academic_year_of(start))
    rae = await make_resident(client, program, "Rae Resident", pgy=2)
    resident = await page_client(app, "rae", roles=[(program["id"], "resident", rae["id"])])
    url = f"/ui/programs/{program['id']}/leave"
    page = await resident.get(url)
    assert "Who" not in page_text(page.text)  # a resident files for themselves only
    backwards = await resident.post_form(
        url,
        {
            "kind": "vacation",
            "start_date": start.isoformat(),
            "end_date": (start - timedelta(days=2)).isoformat(),
        },
    )
    assert backwards.status_code == 422
    assert "Last day: End date must be on or after start date." in page_text(backwards.text)
    filed = await resident.post_form(
        url,
        {
            "kind": "vacation",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=2)).isoformat(),
            "reason": "Family wedding",
        },
    )
    assert filed.status_code == 303
    mine = page_text((await resident.get(url)).text)
    assert "Your pending requests" in mine and "Family wedding" in mine and "Review" not in mine
    again = await resident.post_form(
        url, {"kind": "vacation", "start_date": start.isoformat(), "end_date": start.isoformat()}
    )
    assert again.status_code == 409
    assert "First day: Rae Resident already has leave from" in page_text(again.text)

    coordinator = await page_client(app, "coco", roles=[(program["id"], "coordinator", None)])
    queue = await coordinator.get(url)
    assert "Waiting for a decision" in page_text(queue.text)
    review_path = next(
        line.split('href="')[1].split('"')[0]
        for line in queue.text.splitlines()
        if 'class="button small primary"' in line
    )
    review = await coordinator.get(review_path)
    text = page_text(review.text)
    assert "Leave of Rae Resident" in text and "Coverage gaps this leave would create" in text
    denied = await coordinator.post_form(f"{review_path}/deny", {"reason": "Short-staffed"})
    assert denied.status_code == 303
    decided = page_text((await resident.get(url)).text)
    assert "denied" in decided
