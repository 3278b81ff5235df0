"""Property: no payload, however malformed, makes the API answer 500 or write anything."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.factories import base, make_program, ok

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = st.sampled_from(
    [
        "name",
        "role",
        "pgy",
        "code",
        "category",
        "date",
        "session",
        "person_id",
        "activity_id",
        "start_at",
        "end_at",
        "kind",
        "start_date",
        "end_date",
        "weekly_pattern",
        "block_id",
        "rotation_id",
        "abbreviation",
        "faculty_role",
        "status",
        "half",
        "eligible_pgy",
    ]
)
PAYLOADS = st.dictionaries(FIELDS, JSON_VALUES, max_size=6) | JSON_VALUES
COLLECTIONS = [
    "people",
    "activities",
    "rotations",
    "rotation-plan",
    "assignments",
    "shifts",
    "absences",
    "holidays",
]


async def _row_counts(client: httpx.AsyncClient, program: dict) -> list[int]:
    return [
        ok(await client.get(f"{base(program)}/{collection}"))["total"] for collection in COLLECTIONS
    ]


async def test_random_payloads_never_crash_or_write(client: httpx.AsyncClient) -> None:
    program = await make_program(client)
    before = await _row_counts(client, program)
    answers: list[int] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(collection=st.sampled_from(COLLECTIONS), payload=PAYLOADS)
    def probe(collection: str, payload: object) -> None:
        answers.append((collection, payload))  # type: ignore[arg-type]

    probe()
    for collection, payload in answers:  # type: ignore[misc]
        response = await client.post(f"{base(program)}/{collection}", json=payload)
        assert response.status_code in (409, 422), (collection, payload, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert await _row_counts(client, program) == before
