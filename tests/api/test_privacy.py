"""Data export and erasure (crypto-shredding) as people and admins use them."""

from __future__ import annotations

import uuid

from domain.identity import Role
from projections.event_history import HistoryFilter, iter_history


def test_a_person_downloads_all_their_events_decrypted(client, make_person):
    alice = make_person()
    client.patch(f"/api/v1/users/{alice.user_id}", json={"display_name": "Alice", "bio": "secret hobby"}, headers=alice.headers)
    data = client.get("/api/v1/users/me/data", headers=alice.headers).json()
    types = [e["type"] for e in data["events"]]
    assert types[:1] == ["User.Registered"] and "Session.Started" in types and "User.ProfileUpdated" in types
    registered = data["events"][0]["data"]
    assert registered["email"] == alice.email
    assert registered["password_hash"] == "[redacted]"
    assert any(e["data"].get("bio") == "secret hobby" for e in data["events"])


def test_erasure_by_self_shreds_personal_data_everywhere(client, make_person, app):
    alice, bob, admin = make_person(), make_person(), make_person(Role.ADMIN)
    client.patch(f"/api/v1/users/{alice.user_id}", json={"display_name": "Alice Real", "bio": "my bio"}, headers=alice.headers)
    assert client.post(f"/api/v1/users/{alice.user_id}/erasure", headers=bob.headers).status_code == 403
    r = client.post(f"/api/v1/users/{alice.user_id}/erasure", headers=alice.headers)
    assert r.status_code == 200
    deps = app.state.deps
    history = list(iter_history(deps.pool, deps.store, HistoryFilter(person_id=uuid.UUID(alice.user_id))))
    registered = next(e for e in history if e["type"] == "User.Registered")
    assert registered["data"]["email"] == "[erased]" and registered["data"]["display_name"] == "[erased]"
    assert all(e["data"].get("bio") in (None, "[erased]") for e in history)
    assert [e["type"] for e in history][-2:] == ["User.Erased", "EmailClaim.Released"]
    # Other people's events are intact.
    bob_registered = next(iter_history(deps.pool, deps.store, HistoryFilter(aggregate_id=uuid.UUID(bob.user_id))))
    assert bob_registered["data"]["email"] == bob.email
    # The read model no longer holds Alice's personal data.
    profile = client.get(f"/api/v1/users/{alice.user_id}", headers=admin.headers, params={"min_position": r.json()["position"]}).json()
    assert profile["status"] == "erased" and profile["email"] is None and profile["bio"] is None
    assert profile["display_name"] == "[erased]"
    # Her tokens are dead and the address can be registered again by someone new.
    assert client.get("/api/v1/users/me", headers=alice.headers).status_code == 401
    again = client.post("/api/v1/users", json={"email": alice.email, "password": "a fresh password", "display_name": "New"})
    assert again.status_code == 201 and again.json()["user_id"] != alice.user_id


def test_admin_can_erase_and_erasure_is_repeatable(client, make_person):
    alice, admin = make_person(), make_person(Role.ADMIN)
    assert client.post(f"/api/v1/users/{alice.user_id}/erasure", headers=admin.headers).status_code == 200
    assert client.post(f"/api/v1/users/{alice.user_id}/erasure", headers=admin.headers).status_code == 200
    assert client.post(f"/api/v1/users/{uuid.uuid4()}/erasure", headers=admin.headers).status_code == 404
