"""Data export and erasure (crypto-shredding) as people and admins use them."""

from __future__ import annotations

import uuid

from domain.identity import Role
from projections.audit.event_history import HistoryFilter, iter_history
from tests.api.conftest import PASSWORD


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


def test_the_download_holds_every_event_about_the_person_and_none_they_only_caused(client, make_person):
    alice, moderator, admin = make_person(), make_person(Role.MODERATOR), make_person(Role.ADMIN)
    refreshed = client.post("/api/v1/sessions/refresh", json={"refresh_token": alice.tokens["refresh_token"]}).json()
    alice_headers = {"Authorization": f"Bearer {refreshed['access_token']}"}
    application = client.post("/api/v1/creator-applications", json={"motivation": "I teach art"}, headers=alice_headers).json()
    decision = client.post(f"/api/v1/creator-applications/{application['application_id']}/decision",
                           json={"approve": False, "reason": "show a sample lesson"}, headers=moderator.headers)
    assert decision.status_code == 200
    client.post(f"/api/v1/users/{alice.user_id}/roles", json={"role": "teacher"}, headers=admin.headers)
    second = client.post("/api/v1/sessions", json={"email": alice.email, "password": PASSWORD}).json()
    client.delete("/api/v1/sessions/current", headers={"Authorization": f"Bearer {second['access_token']}"})

    r = client.get("/api/v1/users/me/data", headers=alice_headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    mine = r.json()
    assert mine["user_id"] == alice.user_id
    types = [e["type"] for e in mine["events"]]
    for expected in ("User.Registered", "EmailClaim.Claimed", "Session.Started", "Session.Rotated",
                     "Session.Revoked", "CreatorApplication.Submitted", "CreatorApplication.Rejected",
                     "User.RoleGranted"):
        assert expected in types, expected
    assert [e["position"] for e in mine["events"]] == sorted(e["position"] for e in mine["events"])
    submitted = next(e for e in mine["events"] if e["type"] == "CreatorApplication.Submitted")
    assert submitted["data"]["motivation"] == "I teach art"
    assert next(e for e in mine["events"] if e["type"] == "Session.Revoked")["data"]["reason"] == "logout"

    # The moderator and the admin only acted on Alice: none of it is in their downloads.
    for other in (moderator, admin):
        theirs = client.get("/api/v1/users/me/data", headers=other.headers).json()["events"]
        assert all(e["aggregate_id"] != alice.user_id and e["aggregate_id"] != application["application_id"]
                   for e in theirs), [e["type"] for e in theirs]
        assert alice.email not in str(theirs) and "I teach art" not in str(theirs)
        assert {e["type"] for e in theirs} >= {"User.Registered", "Session.Started"}
    assert client.get("/api/v1/users/me/data").status_code == 401


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


def test_an_erasure_that_crashed_before_destroying_the_key_repairs_itself(client, make_person, app, monkeypatch):
    from fastapi.testclient import TestClient

    from adapters.events.personal_data import KeyStore
    from projections.engine.tracking import log_head, wait_for_position
    from projections.identity.identity import identity

    alice = make_person()
    deps = app.state.deps

    def crash(self, subject_id):
        raise ConnectionError("the process died here")

    monkeypatch.setattr(KeyStore, "erase", crash)
    with TestClient(app, raise_server_exceptions=False) as real_client:
        r = real_client.post(f"/api/v1/users/{alice.user_id}/erasure", headers=alice.headers)
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in r.text and "died" not in r.text
    monkeypatch.undo()
    # User.Erased was committed; the identity projection applies it and destroys the key.
    wait_for_position(deps.pool, [identity], log_head(deps.pool), 10)
    assert deps.keys.key_for_reading(uuid.UUID(alice.user_id)) is None
    history = list(iter_history(deps.pool, deps.store, HistoryFilter(aggregate_id=uuid.UUID(alice.user_id))))
    assert history[0]["data"]["email"] == "[erased]"
