"""The admin user API: create, list, change roles, disable, reset passwords."""

from __future__ import annotations

import httpx

from tests.api.factories import make_faculty, make_program, make_resident, ok, problem
from tests.auth.helpers import make_user

USERS = "/api/v1/admin/users"


async def test_create_list_read_and_change_roles(client: httpx.AsyncClient) -> None:
    a, b = await make_program(client, "A"), await make_program(client, "B")
    resident = await make_resident(client, a, "Rae")
    user = await make_user(
        client,
        "rae",
        roles=[{"program_id": a["id"], "role": "resident", "person_id": resident["id"]}],
    )
    assert "password_hash" not in user and "plum" not in str(user) and not user["is_admin"]
    assert user["roles"] == [
        {"program_id": a["id"], "role": "resident", "person_id": resident["id"]}
    ]
    listed = ok(await client.get(USERS, params={"program_id": a["id"]}))
    assert [u["username"] for u in listed["items"]] == ["rae"]
    read = await client.get(f"{USERS}/{user['id']}")
    assert read.headers["ETag"] == '"1"'
    roles = [
        {"program_id": a["id"], "role": "chief", "person_id": resident["id"]},
        {"program_id": b["id"], "role": "coordinator"},
    ]
    stale = await client.patch(
        f"{USERS}/{user['id']}", json={"roles": roles}, headers={"If-Match": '"7"'}
    )
    problem(stale, 412)
    changed = ok(
        await client.patch(
            f"{USERS}/{user['id']}", json={"roles": roles}, headers={"If-Match": '"1"'}
        )
    )
    assert {(r["program_id"], r["role"]) for r in changed["roles"]} == {
        (a["id"], "chief"),
        (b["id"], "coordinator"),
    }
    assert changed["version"] == 2
    only_b = ok(await client.patch(f"{USERS}/{user['id']}", json={"roles": roles[1:]}))
    assert [r["program_id"] for r in only_b["roles"]] == [b["id"]]
    assert ok(await client.get(USERS, params={"program_id": a["id"]}))["total"] == 0


async def test_role_and_person_links_are_checked(client: httpx.AsyncClient) -> None:
    a, b = await make_program(client, "A"), await make_program(client, "B")
    resident = await make_resident(client, a, "Rae")
    faculty = await make_faculty(client, a, "Dr Fay")
    cases = [
        (
            {"program_id": b["id"], "role": "resident", "person_id": resident["id"]},
            "no such person",
        ),
        ({"program_id": a["id"], "role": "faculty", "person_id": resident["id"]}, "faculty"),
        ({"program_id": a["id"], "role": "chief", "person_id": faculty["id"]}, "resident"),
    ]
    for grant, reason in cases:
        body = problem(
            await client.post(
                USERS,
                json={"username": "x-user", "password": "plum-Orbit-vessel-42", "roles": [grant]},
            ),
            422,
        )
        assert reason in body["detail"]
    twice = [{"program_id": a["id"], "role": "coordinator"}] * 2
    problem(
        await client.post(
            USERS, json={"username": "x-user", "password": "plum-Orbit-vessel-42", "roles": twice}
        ),
        422,
    )
    link = [{"program_id": a["id"], "role": "resident", "person_id": resident["id"]}]
    await make_user(client, "rae", roles=link)
    taken = await client.post(
        USERS, json={"username": "imposter", "password": "plum-Orbit-vessel-42", "roles": link}
    )
    assert problem(taken, 409)["rule"] == "person_linked_once"
    again = await client.post(USERS, json={"username": "RAE", "password": "plum-Orbit-vessel-42"})
    assert problem(again, 409)["rule"] == "unique_username"


async def test_the_last_admin_stays(client: httpx.AsyncClient) -> None:
    me = ok(await client.get("/api/v1/auth/me"))
    for change in ({"active": False}, {"is_admin": False}):
        body = problem(await client.patch(f"{USERS}/{me['id']}", json=change), 409)
        assert body["rule"] == "last_admin"
    other = await make_user(client, "second-admin", is_admin=True)
    ok(await client.patch(f"{USERS}/{other['id']}", json={"active": False}))
    disabled = ok(await client.get(USERS, params={"active": "false"}))
    assert [u["username"] for u in disabled["items"]] == ["second-admin"]


async def test_user_changes_are_audited_without_secrets(client: httpx.AsyncClient) -> None:
    user = await make_user(client, "casey")
    ok(await client.patch(f"{USERS}/{user['id']}", json={"display_name": "Casey"}))
    await client.post(
        f"{USERS}/{user['id']}/password", json={"password": "quartz-Meadow-lantern-7"}
    )
    trail = ok(await client.get("/api/v1/admin/audit", params={"entity_type": "users"}))
    assert [e["action"] for e in trail["items"]] == ["reset_password", "update", "create"]
    assert "password_hash" not in str(trail) and "argon2" not in str(trail)
