"""Who may call which identity and operations route: the allow/deny matrix in one place
(docs/identity.md shows the same table), and errors that never leak a stack trace."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from domain.identity import Role
from projections.engine.tracking import log_head

ROLES = {"student": (), "teacher": (Role.TEACHER,), "moderator": (Role.MODERATOR,),
         "auditor": (Role.AUDITOR,), "admin": (Role.ADMIN,)}
READ_USERS = {"anonymous": 401, "student": 403, "teacher": 403, "moderator": 403, "auditor": 200, "admin": 200}
ADMIN_WRITE = {"anonymous": 401, "student": 403, "teacher": 403, "moderator": 403, "auditor": 403, "admin": 200}
MATRIX: list[tuple[str, str, dict | None, dict[str, int]]] = [
    ("GET", "/api/v1/projections", None, READ_USERS),
    ("GET", "/api/v1/audit/events", None, READ_USERS),
    ("GET", "/api/v1/users", None, READ_USERS),
    ("GET", "/api/v1/users/{other}", None, {**READ_USERS, "moderator": 200}),
    ("GET", "/api/v1/creator-applications", None, {**READ_USERS, "moderator": 200}),
    ("PATCH", "/api/v1/users/{other}", {"display_name": "Changed"}, ADMIN_WRITE),
    ("POST", "/api/v1/users/{other}/roles", {"role": "teacher"}, ADMIN_WRITE),
    ("DELETE", "/api/v1/users/{other}/roles/student", None, ADMIN_WRITE),
    ("POST", "/api/v1/users/{other}/deactivation", {}, ADMIN_WRITE),
    ("POST", "/api/v1/users/{other}/erasure", None, ADMIN_WRITE),
    ("GET", "/api/v1/users/me", None, {"anonymous": 401, "student": 200}),
    ("GET", "/api/v1/users/me/sessions", None, {"anonymous": 401, "student": 200}),
    ("GET", "/api/v1/users/me/data", None, {"anonymous": 401, "student": 200}),
    ("DELETE", "/api/v1/sessions/current", None, {"anonymous": 401, "student": 200}),
    ("POST", "/api/v1/users/me/password", {"current_password": "x", "new_password": "a new password"}, {"anonymous": 401}),
    ("POST", "/api/v1/creator-applications", {"motivation": "I teach"}, {"anonymous": 401, "student": 201}),
]
CASES = [(method, path, body, caller, expected)
         for method, path, body, outcomes in MATRIX for caller, expected in outcomes.items()]


@pytest.mark.parametrize(("method", "path", "body", "caller", "expected"), CASES,
                         ids=[f"{c[3]}-{c[0]}-{c[1]}" for c in CASES])
def test_allow_deny_matrix(client, make_person, app, method, path, body, caller, expected):
    other = make_person()
    headers = {} if caller == "anonymous" else make_person(*ROLES[caller]).headers
    head = log_head(app.state.deps.pool)
    r = client.request(method, path.format(other=other.user_id), json=body, headers=headers)
    assert r.status_code == expected, r.text
    if expected >= 400:
        assert r.headers["content-type"] == "application/problem+json"
        assert log_head(app.state.deps.pool) == head  # a refusal records nothing


def test_a_person_reads_their_own_profile_but_nobody_else_s(client, make_person):
    alice, bob = make_person(), make_person()
    assert client.get(f"/api/v1/users/{alice.user_id}", headers=alice.headers).status_code == 200
    assert client.get(f"/api/v1/users/{bob.user_id}", headers=alice.headers).status_code == 403


def test_a_failure_inside_is_a_problem_without_a_stack_trace(app, make_person, monkeypatch):
    from projections.identity import queries as identity_queries

    alice = make_person()

    def broken(*args, **kwargs):
        raise RuntimeError("password=hunter2 in a secret detail")

    monkeypatch.setattr(identity_queries, "user_profile", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/users/me", headers=alice.headers)
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert r.json() == {"type": "https://skillhub.dev/problems/internal-error", "title": "Internal error",
                        "status": 500, "detail": "something went wrong on our side", "instance": "/api/v1/users/me"}


@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v1/sessions", "/api/v1/password-resets"])
def test_malformed_json_is_a_400_problem_and_records_nothing(client, app, path):
    head = log_head(app.state.deps.pool)
    r = client.post(path, content=b'{"email": "a@b.c", ', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "the request body is not valid JSON"
    assert log_head(app.state.deps.pool) == head
