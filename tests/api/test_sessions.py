"""Login, refresh-token rotation and reuse detection, logout, throttling."""

from __future__ import annotations

from dataclasses import replace

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
    listing = client.get("/api/v1/users/me/sessions", headers=headers, params={"min_position": again["position"]}).json()
    sessions = listing["items"]
    assert len(sessions) == 2 and listing["next_cursor"] is None
    assert [s["revoke_reason"] for s in sessions] == [None, "logout"]
    assert sessions[0]["user_agent"] == "testclient"
    assert r.json()["position"] > 0


def test_parallel_wrong_guesses_cannot_pass_the_limit_and_each_is_recorded(app, make_person):
    import threading
    import uuid

    from projections.audit.event_history import HistoryFilter, iter_history

    alice = make_person()
    codes: list[int] = []
    barrier = threading.Barrier(12)

    def guess(n: int) -> None:
        with TestClient(app, client=(f"198.51.100.{n}", 4000)) as c:  # many addresses: only the account limit bites
            barrier.wait(5)
            codes.append(c.post("/api/v1/sessions", json={"email": alice.email, "password": f"wrong guess {n}"}).status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [401] * 5 + [429] * 7
    deps = app.state.deps
    failures = [e for e in iter_history(deps.pool, deps.store, HistoryFilter(person_id=uuid.UUID(alice.user_id)))
                if e["type"] == "FailedLogin.Recorded"]
    assert len(failures) == 5 and {e["data"]["reason"] for e in failures} == {"wrong password"}
    assert {e["actor_id"] for e in failures} == {None}  # whoever guessed is not known
    assert all(e["data"]["address"].startswith("198.51.100.") for e in failures)


def test_a_successful_login_takes_its_attempt_back(client, make_person):
    alice = make_person()
    for _ in range(4):
        assert client.post("/api/v1/sessions", json={"email": alice.email, "password": "wrong password"}).status_code == 401
    for _ in range(3):  # each success clears the account's failures
        assert client.post("/api/v1/sessions", json={"email": alice.email, "password": PASSWORD}).status_code == 201
    for _ in range(5):
        assert client.post("/api/v1/sessions", json={"email": alice.email, "password": "wrong password"}).status_code == 401
    assert client.post("/api/v1/sessions", json={"email": alice.email, "password": PASSWORD}).status_code == 429


def test_unknown_accounts_record_no_event(client, app):
    from projections.engine.tracking import log_head

    head = log_head(app.state.deps.pool)
    assert client.post("/api/v1/sessions", json={"email": unique_email(), "password": "wrong password"}).status_code == 401
    assert log_head(app.state.deps.pool) == head


def test_password_reset_requests_are_throttled_per_account_and_address(client, make_person, app):
    alice = make_person()
    known = [client.post("/api/v1/password-resets", json={"email": alice.email}) for _ in range(4)]
    assert [r.status_code for r in known] == [202, 202, 202, 429]
    assert 1 <= int(known[-1].headers["Retry-After"]) <= 3601
    assert known[-1].headers["content-type"] == "application/problem+json"
    # An unregistered address is throttled alike: the answer tells nothing about the account.
    unknown = unique_email()
    assert [client.post("/api/v1/password-resets", json={"email": unknown}).status_code for _ in range(4)] == [202, 202, 202, 429]
    with TestClient(app, client=("203.0.113.9", 4000)) as c:
        codes = [c.post("/api/v1/password-resets", json={"email": unique_email()}).status_code for _ in range(21)]
    assert codes == [202] * 20 + [429]


def test_my_sessions_are_paginated_newest_first(client, make_person):
    alice = make_person()
    logins = [client.post("/api/v1/sessions", json={"email": alice.email, "password": PASSWORD}).json() for _ in range(4)]
    headers = {"Authorization": f"Bearer {logins[-1]['access_token']}"}
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "min_position": logins[-1]["position"], **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/users/me/sessions", headers=headers, params=params).json()
        assert len(page["items"]) <= 2
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5 and len({s["session_id"] for s in seen}) == 5
    assert [s["started_at"] for s in seen] == sorted((s["started_at"] for s in seen), reverse=True)
    assert seen[0]["session_id"] == logins[-1]["refresh_token"].split(".")[0]
    for bad in ({"limit": 0}, {"limit": 201}, {"cursor": "nope"}):
        assert client.get("/api/v1/users/me/sessions", headers=headers, params=bad).status_code == 422


def _recorded_address(c: TestClient, email: str, forwarded_for: str) -> str:
    """Log in with a forwarded-for header; the address the new session recorded."""
    login = c.post("/api/v1/sessions", json={"email": email, "password": PASSWORD},
                   headers={"X-Forwarded-For": forwarded_for}).json()
    mine = c.get("/api/v1/users/me/sessions", params={"min_position": login["position"]},
                 headers={"Authorization": f"Bearer {login['access_token']}"}).json()["items"]
    return mine[0]["address"]


def test_forwarded_addresses_are_ignored_unless_the_proxy_is_trusted(app, infra, make_person):
    """Forged X-Forwarded-For headers do not spread failed logins over made-up addresses, and
    are not recorded on sessions; behind a proxy named in SKILLHUB_TRUSTED_PROXIES they are."""
    with TestClient(app, client=("192.0.2.91", 4000)) as c:
        codes = [c.post("/api/v1/sessions", json={"email": unique_email(), "password": "wrong password"},
                        headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(31)]
        assert codes[:30] == [401] * 30 and codes[30] == 429
    alice = make_person()
    with TestClient(app, client=("192.0.2.94", 4000)) as c:
        assert _recorded_address(c, alice.email, "203.0.113.200") == "192.0.2.94"

    from api.app import create_app

    behind_proxy = create_app(replace(infra, settings=infra.settings.model_copy(update={"trusted_proxies": "192.0.2.92"})))
    with TestClient(behind_proxy, client=("192.0.2.92", 4000)) as c:
        assert _recorded_address(c, alice.email, "203.0.113.201") == "203.0.113.201"
    with TestClient(behind_proxy, client=("192.0.2.93", 4000)) as c:  # not the proxy: its header is not believed
        assert _recorded_address(c, alice.email, "203.0.113.202") == "192.0.2.93"
