"""The OAuth2 password flow, access token expiry, refresh rotation, reuse, logout."""

from __future__ import annotations

import httpx

from tests.api.factories import make_program, ok, problem
from tests.auth.conftest import FrozenClock
from tests.auth.helpers import PASSWORD, auth, login, make_user, tokens

ME = "/api/v1/auth/me"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"


async def test_sign_in_issues_a_bearer_pair_for_the_right_password(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    program = await make_program(client)
    roles = [{"program_id": program["id"], "role": "coordinator"}]
    await make_user(client, "Casey", display_name="Casey C", roles=roles)
    pair = await tokens(anonymous, "casey")  # names are case-insensitive
    assert pair["token_type"] == "bearer"
    assert (pair["expires_in"], pair["refresh_expires_in"]) == (900, 7 * 24 * 3600)
    me = ok(await anonymous.get(ME, headers=auth(pair)))
    assert (me["username"], me["is_admin"]) == ("casey", False)
    assert me["roles"] == [{"program_id": program["id"], "role": "coordinator", "person_id": None}]


async def test_wrong_or_unknown_credentials_answer_401_alike(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await make_user(client, "casey")
    wrong = problem(await login(anonymous, "casey", "not-the-password-1"), 401)
    unknown = problem(await login(anonymous, "nobody", PASSWORD), 401)
    assert wrong["detail"] == unknown["detail"] == "wrong username or password"
    response = await anonymous.get(ME)
    assert problem(response, 401)["title"] == "Unauthorized"
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_access_tokens_expire_after_15_minutes(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, clock: FrozenClock
) -> None:
    await make_user(client, "casey")
    pair = await tokens(anonymous, "casey")
    clock.advance(minutes=14, seconds=59)
    ok(await anonymous.get(ME, headers=auth(pair)))
    clock.advance(seconds=1)
    response = await anonymous.get(ME, headers=auth(pair))
    assert "expired" in problem(response, 401)["detail"]
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    fresh = ok(await anonymous.post(REFRESH, json={"refresh_token": pair["refresh_token"]}))
    ok(await anonymous.get(ME, headers=auth(fresh)))


async def test_refresh_rotates_and_a_reused_token_revokes_its_family(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await make_user(client, "casey")
    first = await tokens(anonymous, "casey")
    second = ok(await anonymous.post(REFRESH, json={"refresh_token": first["refresh_token"]}))
    assert second["refresh_token"] != first["refresh_token"]
    third = ok(await anonymous.post(REFRESH, json={"refresh_token": second["refresh_token"]}))
    other_session = await tokens(anonymous, "casey")
    # the first token comes back: someone kept a copy
    reused = await anonymous.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert "revoked" in problem(reused, 401)["detail"]
    for token in (second["refresh_token"], third["refresh_token"]):
        problem(await anonymous.post(REFRESH, json={"refresh_token": token}), 401)
    problem(await anonymous.get(ME, headers=auth(third)), 401)  # the family's access token
    ok(await anonymous.get(ME, headers=auth(other_session)))  # another sign-in is untouched
    ok(await anonymous.post(REFRESH, json={"refresh_token": other_session["refresh_token"]}))


async def test_refresh_tokens_expire_after_7_days(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, clock: FrozenClock
) -> None:
    await make_user(client, "casey")
    pair = await tokens(anonymous, "casey")
    clock.advance(days=7)
    expired = await anonymous.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
    assert "expired" in problem(expired, 401)["detail"]
    problem(await anonymous.post(REFRESH, json={"refresh_token": "made-up"}), 401)


async def test_logout_ends_the_session_and_its_access_tokens(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await make_user(client, "casey")
    pair = await tokens(anonymous, "casey")
    kept = await tokens(anonymous, "casey")
    response = await anonymous.post(LOGOUT, json={"refresh_token": pair["refresh_token"]})
    assert response.status_code == 204
    problem(await anonymous.get(ME, headers=auth(pair)), 401)
    problem(await anonymous.post(REFRESH, json={"refresh_token": pair["refresh_token"]}), 401)
    ok(await anonymous.get(ME, headers=auth(kept)))
    again = await anonymous.post(LOGOUT, json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 204  # idempotent, and no oracle for unknown tokens


async def test_disabling_a_user_signs_them_out_everywhere(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    user = await make_user(client, "casey")
    pair = await tokens(anonymous, "casey")
    ok(await client.patch(f"/api/v1/admin/users/{user['id']}", json={"active": False}))
    problem(await anonymous.get(ME, headers=auth(pair)), 401)
    problem(await anonymous.post(REFRESH, json={"refresh_token": pair["refresh_token"]}), 401)
    problem(await login(anonymous, "casey"), 401)


async def test_a_password_reset_ends_old_sessions(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    user = await make_user(client, "casey")
    pair = await tokens(anonymous, "casey")
    new_password = "quartz-Meadow-lantern-7"
    url = f"/api/v1/admin/users/{user['id']}/password"
    assert (await client.post(url, json={"password": new_password})).status_code == 204
    problem(await anonymous.get(ME, headers=auth(pair)), 401)
    problem(await login(anonymous, "casey"), 401)
    ok(await anonymous.get(ME, headers=auth(await tokens(anonymous, "casey", new_password))))


async def test_weak_passwords_are_refused_by_name_not_value(client: httpx.AsyncClient) -> None:
    for password, reason in (
        ("short-1", "at least 12 characters"),
        ("Password2026!", "too common"),
        ("P@ssw0rd12345", "too common"),
        ("abcabcabcabcabc", "too easy to guess"),
        ("casey-is-my-name", "username"),
    ):
        payload = {"username": "casey", "password": password}
        response = await client.post("/api/v1/admin/users", json=payload)
        body = problem(response, 422)
        assert body["errors"] == [{"field": "password", "reason": body["errors"][0]["reason"]}]
        assert reason in body["detail"], (password, body)
        assert password not in response.text
