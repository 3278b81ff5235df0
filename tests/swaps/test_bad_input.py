"""Property: no payload, however malformed, makes a swap or leave route answer 500 or
write anything."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.factories import ok
from tests.swaps.helpers import executed, proposal
from tests.swaps.world import World

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from(["", "AM", "PM", "2026-09-07", "2026-09-04", "fmit_week", "offer"])
    | st.text(max_size=6)
)
FIELDS = st.sampled_from(
    [
        "kind",
        "mode",
        "requester_id",
        "counterparty_id",
        "offered",
        "wanted",
        "reason",
        "note",
        "person_id",
        "gap",
        "date",
        "session",
        "activity_id",
        "override_reason",
    ]
)


def payloads(world: World) -> st.SearchStrategy[object]:
    ids = st.sampled_from([*world.people.values(), "not-an-id"])
    units = st.fixed_dictionaries({}, optional={"date": SCALARS, "session": SCALARS}) | SCALARS
    values = SCALARS | ids | units
    return st.dictionaries(FIELDS, values, max_size=6) | st.lists(SCALARS, max_size=2) | SCALARS


async def test_random_payloads_never_crash_or_write(
    client: httpx.AsyncClient, world: World
) -> None:
    done = await executed(
        client, world, proposal(world, "clinic_session", "F3", "F4", "2026-09-07", "AM")
    )
    leave = ok(
        await client.post(
            f"{world.base}/absences",
            json={
                "person_id": world.people["R1"],
                "kind": "vacation",
                "start_date": "2026-09-14",
                "end_date": "2026-09-14",
            },
        ),
        201,
    )
    ok(await client.post(f"{world.base}/absences/{leave['id']}/deny"))
    urls = [
        f"{world.base}/swaps",
        f"{world.base}/swaps/validate",
        f"{world.base}/coverage",
        f"{world.base}/swaps/{done['id']}/claim",
        f"{world.base}/swaps/{done['id']}/validate",
        f"{world.base}/absences/{leave['id']}/approve",
    ]
    before = ok(await client.get(f"{world.base}/audit", params={"limit": 1}))["total"]
    drawn: list[tuple[str, object]] = []

    @settings(
        max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    @given(url=st.sampled_from(urls), payload=payloads(world))
    def probe(url: str, payload: object) -> None:
        drawn.append((url, payload))

    probe()
    for url, payload in drawn:
        response = await client.post(url, json=payload)
        allowed = {409, 422} | ({200} if url.endswith("/validate") else set())
        assert response.status_code in allowed, (url, payload, response.text)
        if response.status_code != 200:
            assert response.headers["content-type"].startswith("application/problem+json")
    assert ok(await client.get(f"{world.base}/audit", params={"limit": 1}))["total"] == before
    assert ok(await client.get(f"{world.base}/swaps"))["total"] == 1
