"""The compliance dashboard: findings linked to their cells, hours charts, fairness."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import httpx
from fastapi import FastAPI

from residency.web.grid import cell_anchor
from tests.api.factories import base, make_activity, make_program, make_resident, ok
from tests.web.helpers import element_by_id, page_client, page_text


async def _world(client: httpx.AsyncClient) -> dict:
    program = await make_program(client)
    clinic = await make_activity(client, program, "C", sees_patients=True)
    rae = await make_resident(client, program, "Rae Resident", pgy=2)
    ola = await make_resident(client, program, "Ola Other", pgy=1)
    # Wednesday 2 Sep 2026 PM is protected didactics: clinic there is a violation.
    for person, day in ((rae, "2026-09-02"), (ola, "2026-09-09")):
        slot = {"person_id": person["id"], "date": day, "session": "PM"}
        ok(
            await client.post(
                f"{base(program)}/assignments", json={**slot, "activity_id": clinic["id"]}
            ),
            201,
        )
    return {"program": program, "rae": rae, "ola": ola}


async def test_violations_link_to_their_flagged_cells(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    world = await _world(client)
    program, rae = world["program"], world["rae"]
    page = await page_client(app, "coco", roles=[(program["id"], "coordinator", None)])
    response = await page.get(f"/ui/programs/{program['id']}/compliance")
    assert response.status_code == 200
    text = page_text(response.text)
    assert "Protected didactics time" in text and "2 violations" in text
    assert "Rae Resident: C during protected didactics on 2026-09-02" in text
    links = [unescape(u) for u in re.findall(r'href="([^"]*/schedule\?[^"]*)"', response.text)]
    link = next(u for u in links if rae["id"] in u and "2026-09-02" in u)
    assert "flag_session=PM" in link
    path, anchor = link.split("#")
    assert anchor == cell_anchor(rae["id"], date(2026, 9, 2), "PM")
    grid = await page.get(path)
    cell = element_by_id(grid.text, anchor)
    assert " fl" in cell and "flagged" in cell
    block = await page.get(f"/ui/programs/{program['id']}/compliance", params={"block": 1})
    assert "Protected didactics time" not in page_text(block.text)  # filtered to block 1


async def test_a_resident_sees_only_their_own_figures(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    world = await _world(client)
    program, rae = world["program"], world["rae"]
    page = await page_client(app, "rae", roles=[(program["id"], "resident", rae["id"])])
    response = await page.get(f"/ui/programs/{program['id']}/compliance")
    assert response.status_code == 200
    text = page_text(response.text)
    assert "your own figures" in text and "1 violation" in text
    assert "Ola Other" not in text
    assert "Weekly hours of Rae Resident" in response.text
    assert response.text.count("<svg viewBox") == 1
    assert "80 h limit" in response.text and 'class="limit"' in response.text
    assert "Mean of 2 residents" in text  # the group's mean, not the others' rows
