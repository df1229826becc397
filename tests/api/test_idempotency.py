"""Idempotency-Key: a retried command gets the first response and records nothing new."""

from __future__ import annotations

import threading
import uuid

from api.platform.idempotency import (
    IdempotencyMiddleware,
    IdempotencyStore,
    fingerprint_of,
)
from projections.engine.tracking import log_head
from tests.api.conftest import PASSWORD, unique_email


def test_retry_returns_first_response_and_records_nothing(client, app):
    key = str(uuid.uuid4())
    body = {"email": unique_email(), "password": PASSWORD, "display_name": "Idem"}
    first = client.post("/api/v1/users", json=body, headers={"Idempotency-Key": key})
    head = log_head(app.state.deps.pool)
    second = client.post("/api/v1/users", json=body, headers={"Idempotency-Key": key})
    assert second.status_code == first.status_code == 201
    assert second.json() == first.json() and second.headers["Idempotent-Replayed"] == "true"
    assert log_head(app.state.deps.pool) == head


def test_same_key_for_a_different_request_is_rejected(client):
    key = str(uuid.uuid4())
    client.post("/api/v1/users", json={"email": unique_email(), "password": PASSWORD, "display_name": "A"}, headers={"Idempotency-Key": key})
    r = client.post("/api/v1/users", json={"email": unique_email(), "password": PASSWORD, "display_name": "B"}, headers={"Idempotency-Key": key})
    assert r.status_code == 422


def test_concurrent_tries_with_one_key_record_one_command(client, app, make_person):
    alice = make_person()
    key = str(uuid.uuid4())
    head = log_head(app.state.deps.pool)
    responses = []

    def update() -> None:
        responses.append(client.patch(
            f"/api/v1/users/{alice.user_id}", json={"display_name": "Once", "bio": "only once"},
            headers={**alice.headers, "Idempotency-Key": key},
        ))

    threads = [threading.Thread(target=update) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["position"] for r in responses}) == 1
    assert log_head(app.state.deps.pool) == head + 1


def test_keys_are_scoped_per_person(client, make_person):
    alice, bob = make_person(), make_person()
    key = "shared-key-1"
    a = client.patch(f"/api/v1/users/{alice.user_id}", json={"display_name": "A"}, headers={**alice.headers, "Idempotency-Key": key})
    b = client.patch(f"/api/v1/users/{bob.user_id}", json={"display_name": "B"}, headers={**bob.headers, "Idempotency-Key": key})
    assert a.status_code == b.status_code == 200 and a.json()["position"] != b.json()["position"]


def _store(app) -> IdempotencyStore:
    return next(m.kwargs["store"] for m in app.user_middleware if m.cls is IdempotencyMiddleware)


def _row(app, key: str) -> dict | None:
    with app.state.deps.pool.connection() as conn:
        return conn.execute("SELECT status_code, body, created_at FROM idempotency_keys WHERE key = %s", (key,)).fetchone()


def test_a_claim_left_by_a_crashed_request_lapses(client, app, make_person):
    alice = make_person()
    key = str(uuid.uuid4())
    ttl = app.state.deps.settings.idempotency_claim_ttl_seconds
    with app.state.deps.pool.connection() as conn:  # a request claimed the key, then its process died
        conn.execute("INSERT INTO idempotency_keys (scope, key, fingerprint, created_at)"
                     " VALUES (%s, %s, 'died', now() - make_interval(secs => %s))", (f"user:{alice.user_id}", key, ttl + 1))
    head = log_head(app.state.deps.pool)
    r = client.patch(f"/api/v1/users/{alice.user_id}", json={"display_name": "After the crash"},
                     headers={**alice.headers, "Idempotency-Key": key})
    assert r.status_code == 200 and "Idempotent-Replayed" not in r.headers
    assert log_head(app.state.deps.pool) == head + 1
    assert _row(app, key)["status_code"] == 200


def test_a_fresh_claim_still_running_is_a_409_with_retry_after(client, app, make_person, monkeypatch):
    alice = make_person()
    key, path, body = str(uuid.uuid4()), f"/api/v1/users/{alice.user_id}", b'{"display_name":"X"}'
    with app.state.deps.pool.connection() as conn:  # the same request, claimed a moment ago, still running
        conn.execute("INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES (%s, %s, %s)",
                     (f"user:{alice.user_id}", key, fingerprint_of("PATCH", path, "", body)))
    monkeypatch.setattr(_store(app), "wait_seconds", 0.2)
    head = log_head(app.state.deps.pool)
    r = client.patch(path, content=body, headers={**alice.headers, "Idempotency-Key": key, "Content-Type": "application/json"})
    assert r.status_code == 409 and r.headers["Retry-After"] == "1"
    assert log_head(app.state.deps.pool) == head


def test_tokens_are_replayed_but_never_stored_in_plain_text(client, app, make_person):
    alice = make_person()
    key = str(uuid.uuid4())
    body = {"refresh_token": alice.tokens["refresh_token"]}
    first = client.post("/api/v1/sessions/refresh", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 200
    stored = bytes(_row(app, key)["body"])
    tokens = first.json()
    assert tokens["access_token"].encode() not in stored and tokens["refresh_token"].encode() not in stored
    assert b"refresh_token" not in stored
    # The retry of a refresh whose answer was lost gets the same tokens: not taken for reuse.
    again = client.post("/api/v1/sessions/refresh", json=body, headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == tokens
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200


def test_stored_responses_past_retention_are_purged(client, app, make_person, monkeypatch):
    alice = make_person()
    old_key, key = str(uuid.uuid4()), str(uuid.uuid4())
    retention = app.state.deps.settings.idempotency_retention_seconds
    with app.state.deps.pool.connection() as conn:
        conn.execute("INSERT INTO idempotency_keys (scope, key, fingerprint, status_code, headers, body, created_at)"
                     " VALUES ('anonymous', %s, 'old', 201, '{}', 'x', now() - make_interval(secs => %s))",
                     (old_key, retention + 1))
    monkeypatch.setattr(_store(app), "_next_purge", 0.0)
    r = client.patch(f"/api/v1/users/{alice.user_id}", json={"display_name": "Purge"}, headers={**alice.headers, "Idempotency-Key": key})
    assert r.status_code == 200
    assert _row(app, old_key) is None and _row(app, key) is not None


def test_a_stored_response_that_cannot_be_opened_is_not_replayed(client, app, make_person):
    alice = make_person()
    key, path, body = str(uuid.uuid4()), f"/api/v1/users/{alice.user_id}", b'{"display_name":"Y"}'
    with app.state.deps.pool.connection() as conn:  # sealed under a secret key since replaced
        conn.execute("INSERT INTO idempotency_keys (scope, key, fingerprint, status_code, headers, body)"
                     " VALUES (%s, %s, %s, 200, '{}', %s)",
                     (f"user:{alice.user_id}", key, fingerprint_of("PATCH", path, "", body), b"\x00" * 40))
    head = log_head(app.state.deps.pool)
    r = client.patch(path, content=body, headers={**alice.headers, "Idempotency-Key": key, "Content-Type": "application/json"})
    assert r.status_code == 200 and "Idempotent-Replayed" not in r.headers
    assert log_head(app.state.deps.pool) == head + 1


def test_a_replay_after_logout_is_refused_not_replayed(client, app, make_person):
    alice = make_person()
    key, path = str(uuid.uuid4()), f"/api/v1/users/{alice.user_id}"
    first = client.patch(path, json={"display_name": "Before logout"}, headers={**alice.headers, "Idempotency-Key": key})
    assert first.status_code == 200, first.text
    assert client.delete("/api/v1/sessions/current", headers=alice.headers).status_code == 200
    head = log_head(app.state.deps.pool)
    again = client.patch(path, json={"display_name": "Before logout"}, headers={**alice.headers, "Idempotency-Key": key})
    assert again.status_code == 401 and "Idempotent-Replayed" not in again.headers
    assert again.headers["content-type"] == "application/problem+json"
    assert log_head(app.state.deps.pool) == head


def test_the_query_string_is_part_of_the_request_a_key_stands_for(client, make_person):
    alice = make_person()
    key = str(uuid.uuid4())
    first = client.post("/api/v1/notifications/read-all?up_to=0", headers={**alice.headers, "Idempotency-Key": key})
    assert first.status_code == 200, first.text
    other = client.post("/api/v1/notifications/read-all?up_to=999999", headers={**alice.headers, "Idempotency-Key": key})
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    same = client.post("/api/v1/notifications/read-all?up_to=0", headers={**alice.headers, "Idempotency-Key": key})
    assert same.status_code == 200 and same.headers["Idempotent-Replayed"] == "true"
