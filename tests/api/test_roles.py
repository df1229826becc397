"""Roles and creator applications, with who may do what."""

from __future__ import annotations

import pytest

from domain.identity import Role


def test_only_admins_grant_and_revoke_roles(client, make_person):
    alice, teacher, admin = make_person(), make_person(Role.TEACHER), make_person(Role.ADMIN)
    url = f"/api/v1/users/{alice.user_id}/roles"
    for caller in (alice, teacher):
        assert client.post(url, json={"role": "teacher"}, headers=caller.headers).status_code == 403
    assert client.post(url, json={"role": "teacher"}).status_code == 401
    assert client.post(url, json={"role": "wizard"}, headers=admin.headers).status_code == 422
    r = client.post(url, json={"role": "teacher"}, headers=admin.headers)
    assert r.status_code == 200
    assert client.post(url, json={"role": "teacher"}, headers=admin.headers).status_code == 409
    # The role applies to the very next request of the grantee, without logging in again.
    profile = client.get("/api/v1/users/me", headers=alice.headers, params={"min_position": r.json()["position"]})
    assert sorted(profile.json()["roles"]) == ["student", "teacher"]
    assert client.delete(f"{url}/teacher", headers=teacher.headers).status_code == 403
    assert client.delete(f"{url}/teacher", headers=admin.headers).status_code == 200
    assert client.delete(f"{url}/teacher", headers=admin.headers).status_code == 409


def test_admin_cannot_remove_own_admin_role(client, make_person):
    admin = make_person(Role.ADMIN)
    r = client.delete(f"/api/v1/users/{admin.user_id}/roles/admin", headers=admin.headers)
    assert r.status_code == 409


def test_role_change_takes_effect_immediately_for_permissions(client, make_person):
    alice, admin = make_person(), make_person(Role.ADMIN)
    assert client.get("/api/v1/users", headers=alice.headers).status_code == 403
    client.post(f"/api/v1/users/{alice.user_id}/roles", json={"role": "auditor"}, headers=admin.headers)
    assert client.get("/api/v1/users", headers=alice.headers).status_code == 200


@pytest.mark.parametrize("decider_role", [Role.MODERATOR, Role.ADMIN])
def test_creator_application_approved_grants_creator(client, make_person, decider_role):
    applicant, decider, other = make_person(), make_person(decider_role), make_person()
    r = client.post("/api/v1/creator-applications", json={"motivation": "I teach chemistry"}, headers=applicant.headers)
    assert r.status_code == 201
    app_id = r.json()["application_id"]
    assert client.post("/api/v1/creator-applications", json={"motivation": "again"}, headers=applicant.headers).status_code == 409
    listing = client.get("/api/v1/creator-applications", headers=decider.headers, params={"min_position": r.json()["position"], "limit": 200})
    assert app_id in [a["application_id"] for a in listing.json()["items"]]
    assert client.get("/api/v1/creator-applications", headers=other.headers).status_code == 403
    decision = f"/api/v1/creator-applications/{app_id}/decision"
    assert client.post(decision, json={"approve": True}, headers=other.headers).status_code == 403
    assert client.post(decision, json={"approve": True}, headers=applicant.headers).status_code == 403
    r = client.post(decision, json={"approve": True}, headers=decider.headers)
    assert r.status_code == 200
    me = client.get("/api/v1/users/me", headers=applicant.headers, params={"min_position": r.json()["position"]}).json()
    assert "creator" in me["roles"]
    assert client.post(decision, json={"approve": False, "reason": "late"}, headers=decider.headers).status_code == 409


def test_rejection_needs_reason_and_allows_resubmission(client, make_person):
    applicant, moderator = make_person(), make_person(Role.MODERATOR)
    app_id = client.post("/api/v1/creator-applications", json={"motivation": "v1"}, headers=applicant.headers).json()["application_id"]
    decision = f"/api/v1/creator-applications/{app_id}/decision"
    r = client.post(decision, json={"approve": False}, headers=moderator.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    assert client.post(decision, json={"approve": False, "reason": "needs a sample lesson"}, headers=moderator.headers).status_code == 200
    r = client.post("/api/v1/creator-applications", json={"motivation": "v2 with sample"}, headers=applicant.headers)
    assert r.status_code == 201 and r.json()["application_id"] == app_id
    rows = client.get("/api/v1/creator-applications", headers=moderator.headers,
                      params={"min_position": r.json()["position"], "status": "pending", "limit": 200}).json()["items"]
    mine = [a for a in rows if a["application_id"] == app_id]
    assert mine[0]["motivation"] == "v2 with sample"


def test_moderator_cannot_approve_own_application(client, make_person):
    moderator = make_person(Role.MODERATOR)
    app_id = client.post("/api/v1/creator-applications", json={"motivation": "me"}, headers=moderator.headers).json()["application_id"]
    r = client.post(f"/api/v1/creator-applications/{app_id}/decision", json={"approve": True}, headers=moderator.headers)
    assert r.status_code == 409


def test_user_listing_paginates_with_cursor(client, make_person):
    admin = make_person(Role.ADMIN)
    for _ in range(3):
        make_person()
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "min_position": admin.position, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/users", headers=admin.headers, params=params).json()
        seen += [u["user_id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 4
    assert client.get("/api/v1/users", headers=admin.headers, params={"cursor": "garbage!"}).status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v1/creator-applications", "/api/v1/audit/events"])
@pytest.mark.parametrize("values", [["x"], ["a", "b"], [1, 2], [["t", "x"], ["u", "y"]], [["s", "2026-01-01"], ["s", "b"]]])
def test_hand_made_cursors_are_422_problems(client, make_person, path, values):
    import base64
    import json

    admin = make_person(Role.ADMIN)
    cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
    r = client.get(path, headers=admin.headers, params={"cursor": cursor})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"] == [{"field": "cursor", "message": "not a cursor from this list"}]


@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v1/creator-applications"])
def test_status_filters_take_only_known_statuses(client, make_person, path):
    admin = make_person(Role.ADMIN)
    r = client.get(path, headers=admin.headers, params={"status": "sleeping"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "query.status"
    known = "erased" if path.endswith("users") else "rejected"
    assert client.get(path, headers=admin.headers, params={"status": known}).status_code == 200
