"""Idempotency-Key: a retried command gets the first response and records nothing new."""

from __future__ import annotations

import threading
import uuid

from projections.tracking import log_head
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
