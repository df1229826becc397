"""Login, refresh-token rotation and reuse detection, logout, throttling."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, unique_email


def test_login_gives_short_lived_access_and_rotating_refresh(client, make_person, app):
    alice = make_person()
    claims = app.state.deps.tokens.verify(alice.tokens["access_token"])
    assert str(claims.user_id) == alice.user_id and alice.tokens["expires_in"] == 900
    r = client.post("/api/v1/sessions/refresh", json={"refresh_token": alice.tokens["refresh_token"]})
    assert r.status_code == 200
    new = r.json()
    assert new["refresh_token"] != alice.tokens["refresh_token"]
    assert client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {new['access_token']}"}).status_code == 200


def test_reusing_an_old_refresh_token_revokes_the_whole_family(client, make_person):
    alice = make_person()
    first = alice.tokens["refresh_token"]
    second = client.post("/api/v1/sessions/refresh", json={"refresh_token": first}).json()
    reuse = client.post("/api/v1/sessions/refresh", json={"refresh_token": first})
    assert reuse.status_code == 401 and "already used" in reuse.json()["detail"]
    # The thief's use killed the family: the legitimate newest token is dead too.
    assert client.post("/api/v1/sessions/refresh", json={"refresh_token": second["refresh_token"]}).status_code == 401
    assert client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {second['access_token']}"}).status_code == 401


def test_logout_revokes_access_and_refresh(client, make_person):
    alice = make_person()
    assert client.delete("/api/v1/sessions/current", headers=alice.headers).status_code == 200
    assert client.get("/api/v1/users/me", headers=alice.headers).status_code == 401
    r = client.post("/api/v1/sessions/refresh", json={"refresh_token": alice.tokens["refresh_token"]})
    assert r.status_code == 401
    assert client.delete("/api/v1/sessions/current").status_code == 401


def test_garbage_tokens_are_401_not_500(client):
    for header in ("Bearer nonsense", "Bearer a.b.c", "Basic dXNlcjpwYXNz"):
        r = client.get("/api/v1/users/me", headers={"Authorization": header})
        assert r.status_code == 401, header
        assert r.headers["content-type"] == "application/problem+json"
    for token in ("nodot", "not-a-uuid.secret-part", "00000000-0000-0000-0000-000000000001.x" * 2):
        assert client.post("/api/v1/sessions/refresh", json={"refresh_token": token}).status_code in (401, 422)


def test_failed_logins_per_account_are_throttled_with_retry_after(client, make_person):
    alice = make_person()
    for _ in range(5):
        r = client.post("/api/v1/sessions", json={"email": alice.email, "password": "wrong password"})
        assert r.status_code == 401
    r = client.post("/api/v1/sessions", json={"email": alice.email, "password": PASSWORD})
    assert r.status_code == 429
    assert 1 <= int(r.headers["Retry-After"]) <= 901


def test_failed_logins_per_address_are_throttled(app):
    with TestClient(app, client=("192.0.2.77", 4000)) as c:
        codes = [
            c.post("/api/v1/sessions", json={"email": unique_email(), "password": "wrong password"}).status_code
            for _ in range(31)
        ]
    assert codes[:30] == [401] * 30 and codes[30] == 429
    # Another address is not affected.
    with TestClient(app, client=("192.0.2.78", 4000)) as c:
        assert c.post("/api/v1/sessions", json={"email": unique_email(), "password": "x" * 10}).status_code == 401


def test_my_sessions_lists_logins_with_revocation(client, make_person):
    alice = make_person()
    r = client.delete("/api/v1/sessions/current", headers=alice.headers)
    again = client.post("/api/v1/sessions", json={"email": alice.email, "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {again['access_token']}"}
    sessions = client.get("/api/v1/users/me/sessions", headers=headers, params={"min_position": again["position"]}).json()
    assert len(sessions) == 2
    assert [s["revoke_reason"] for s in sessions] == [None, "logout"]
    assert sessions[0]["user_agent"] == "testclient"
    assert r.json()["position"] > 0
