"""Registration, profile, passwords, deactivation: through the API as a client would."""

from __future__ import annotations

import re
import threading

from tests.api.conftest import PASSWORD, unique_email


def test_register_rejects_bad_input_and_records_nothing(client, app):
    from projections.engine.tracking import log_head

    head = log_head(app.state.deps.pool)
    email = unique_email()
    r = client.post("/api/v1/users", json={"email": email, "password": "short", "display_name": ""})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"body.password", "body.display_name"}
    r = client.post("/api/v1/sessions", json={"email": email, "password": "short"})
    assert r.status_code == 401
    assert log_head(app.state.deps.pool) == head


def test_duplicate_email_is_a_conflict_case_insensitive(client, make_person):
    alice = make_person()
    r = client.post("/api/v1/users", json={"email": alice.email.upper(), "password": PASSWORD, "display_name": "X"})
    assert r.status_code == 409
    assert r.json()["errors"] == [{"field": "email", "message": "already registered"}]


def test_concurrent_registrations_of_one_address_make_one_account(client):
    email = unique_email("race")
    results: list[int] = []

    def register() -> None:
        r = client.post("/api/v1/users", json={"email": email, "password": PASSWORD, "display_name": "Racer"})
        results.append(r.status_code)

    threads = [threading.Thread(target=register) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201] + [409] * 7


def test_profile_update_by_self_and_admin_only(client, make_person):
    from domain.identity import Role

    alice, bob, admin = make_person(), make_person(), make_person(Role.ADMIN)
    url = f"/api/v1/users/{alice.user_id}"
    assert client.patch(url, json={"display_name": "Bob was here"}, headers=bob.headers).status_code == 403
    assert client.patch(url, json={"display_name": "Alice A."}).status_code == 401
    r = client.patch(url, json={"display_name": "Alice A.", "bio": "I like maths"}, headers=alice.headers)
    assert r.status_code == 200
    r = client.patch(url, json={"display_name": "Alice B."}, headers=admin.headers)
    profile = client.get(url, headers=alice.headers, params={"min_position": r.json()["position"]}).json()
    assert profile["display_name"] == "Alice B." and profile["bio"] == ""
    assert client.get(url, headers=bob.headers).status_code == 403


def test_change_password_needs_current_one_and_ends_other_sessions(client, make_person):
    alice = make_person()
    other = client.post("/api/v1/sessions", json={"email": alice.email, "password": PASSWORD}).json()
    other_headers = {"Authorization": f"Bearer {other['access_token']}"}
    r = client.post("/api/v1/users/me/password", headers=alice.headers,
                    json={"current_password": "wrong password!", "new_password": "a new password 1"})
    assert r.status_code == 422
    assert client.get("/api/v1/users/me", headers=other_headers).status_code == 200
    r = client.post("/api/v1/users/me/password", headers=alice.headers,
                    json={"current_password": PASSWORD, "new_password": "a new password 1"})
    assert r.status_code == 200
    assert client.get("/api/v1/users/me", headers=alice.headers).status_code == 200
    assert client.get("/api/v1/users/me", headers=other_headers).status_code == 401
    assert client.post("/api/v1/sessions/refresh", json={"refresh_token": other["refresh_token"]}).status_code == 401
    assert client.post("/api/v1/sessions", json={"email": alice.email, "password": PASSWORD}).status_code == 401
    assert client.post("/api/v1/sessions", json={"email": alice.email, "password": "a new password 1"}).status_code == 201


def test_password_reset_token_is_single_use_and_ends_sessions(client, make_person, caplog):
    alice = make_person()
    with caplog.at_level("WARNING"):
        r = client.post("/api/v1/password-resets", json={"email": alice.email})
    assert r.status_code == 202
    token = re.search(r"password reset token for user \S+: (\S+)", caplog.text).group(1)
    # Unknown addresses get the same answer, and nothing is recorded.
    assert client.post("/api/v1/password-resets", json={"email": unique_email()}).json() == r.json()
    bad = client.post("/api/v1/password-resets/confirm", json={"token": token + "x", "new_password": "reset password 1"})
    assert bad.status_code == 401
    ok = client.post("/api/v1/password-resets/confirm", json={"token": token, "new_password": "reset password 1"})
    assert ok.status_code == 200
    again = client.post("/api/v1/password-resets/confirm", json={"token": token, "new_password": "reset password 2"})
    assert again.status_code == 401
    assert client.get("/api/v1/users/me", headers=alice.headers).status_code == 401
    assert client.post("/api/v1/sessions", json={"email": alice.email, "password": "reset password 1"}).status_code == 201


def test_password_reset_token_expires(client, make_person, app, caplog):
    from datetime import timedelta

    alice = make_person()
    with caplog.at_level("WARNING"):
        client.post("/api/v1/password-resets", json={"email": alice.email})
    token = re.search(r"password reset token for user \S+: (\S+)", caplog.text).group(1)
    deps = app.state.deps
    real_clock = deps.clock
    deps.clock = lambda: real_clock() + timedelta(hours=2)
    try:
        r = client.post("/api/v1/password-resets/confirm", json={"token": token, "new_password": "reset password 1"})
    finally:
        deps.clock = real_clock
    assert r.status_code == 401 and "expired" in r.json()["detail"]


def test_deactivation_blocks_login_and_current_tokens(client, make_person):
    from domain.identity import Role

    alice, bob, admin = make_person(), make_person(), make_person(Role.ADMIN)
    assert client.post(f"/api/v1/users/{alice.user_id}/deactivation", json={}, headers=bob.headers).status_code == 403
    assert client.post(f"/api/v1/users/{alice.user_id}/deactivation", json={"reason": "spam"}, headers=admin.headers).status_code == 200
    assert client.get("/api/v1/users/me", headers=alice.headers).status_code == 401
    assert client.post("/api/v1/sessions", json={"email": alice.email, "password": PASSWORD}).status_code == 401
    r = client.post(f"/api/v1/users/{bob.user_id}/deactivation", json={}, headers=bob.headers)
    assert r.status_code == 200
    again = client.post(f"/api/v1/users/{bob.user_id}/deactivation", json={}, headers=admin.headers)
    assert again.status_code == 409


def test_register_login_refresh_and_reset_record_the_person_as_actor(client, make_person, app, caplog):
    import uuid

    from domain.identity import Role
    from projections.audit.event_history import HistoryFilter, iter_history

    deps = app.state.deps

    def history(aggregate_id: str) -> list[tuple[str, str | None]]:
        f = HistoryFilter(aggregate_id=uuid.UUID(str(aggregate_id)))
        return [(e["type"], e["actor_id"] and str(e["actor_id"])) for e in iter_history(deps.pool, deps.store, f)]

    alice = make_person()  # registers and logs in anonymously
    me = alice.user_id
    claim_id = next(e["aggregate_id"] for e in iter_history(deps.pool, deps.store, HistoryFilter(person_id=uuid.UUID(me)))
                    if e["type"] == "EmailClaim.Claimed")
    assert history(claim_id) == [("EmailClaim.Claimed", me)]
    session_id = alice.tokens["refresh_token"].split(".")[0]
    first = client.post("/api/v1/sessions/refresh", json={"refresh_token": alice.tokens["refresh_token"]})
    client.post("/api/v1/sessions/refresh", json={"refresh_token": alice.tokens["refresh_token"]})  # reuse: revoked
    assert first.status_code == 200
    assert history(session_id) == [("Session.Started", me), ("Session.Rotated", me), ("Session.Revoked", me)]
    with caplog.at_level("WARNING"):
        client.post("/api/v1/password-resets", json={"email": alice.email})
    token = re.search(r"password reset token for user \S+: (\S+)", caplog.text).group(1)
    assert client.post("/api/v1/password-resets/confirm", json={"token": token, "new_password": "reset password 1"}).status_code == 200
    # Anyone may ask for a reset of any address: the request has no known actor; the reset does.
    assert history(me) == [("User.Registered", me), ("User.PasswordResetRequested", None), ("User.PasswordReset", me)]
    # An admin creating an account stays its actor.
    admin = make_person(Role.ADMIN)
    made = client.post("/api/v1/users", json={"email": unique_email(), "password": PASSWORD, "display_name": "New"},
                       headers=admin.headers).json()
    assert history(made["user_id"]) == [("User.Registered", admin.user_id)]


def test_an_address_with_full_width_letters_is_the_same_address(client, make_person):
    alice = make_person()
    local, domain = alice.email.split("@")
    # Full-width forms (U+FF01..U+FF5E) of the same letters and digits: NFKC folds them.
    twin = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in local) + "@" + domain
    assert twin != alice.email
    r = client.post("/api/v1/users", json={"email": twin, "password": PASSWORD, "display_name": "Twin"})
    assert r.status_code == 409, r.text
    assert client.post("/api/v1/sessions", json={"email": twin, "password": PASSWORD}).status_code == 201


def test_guessing_the_current_password_is_throttled(client, make_person, app):
    from projections.engine.tracking import log_head

    alice = make_person()
    wrong = {"current_password": "not my password", "new_password": "a new password 1"}
    limit = app.state.deps.settings.password_change_max_failures
    for _ in range(limit):
        assert client.post("/api/v1/users/me/password", headers=alice.headers, json=wrong).status_code == 422
    head = log_head(app.state.deps.pool)
    refused = client.post("/api/v1/users/me/password", headers=alice.headers, json=wrong)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    # Even the right password waits now, and nothing was recorded.
    right = client.post("/api/v1/users/me/password", headers=alice.headers,
                        json={"current_password": PASSWORD, "new_password": "a new password 1"})
    assert right.status_code == 429
    assert log_head(app.state.deps.pool) == head
    # Another person's tries are counted apart.
    bob = make_person()
    assert client.post("/api/v1/users/me/password", headers=bob.headers,
                       json={"current_password": PASSWORD, "new_password": "a new password 1"}).status_code == 200
