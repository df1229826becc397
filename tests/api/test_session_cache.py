"""Authenticating a request from the cache of sessions known valid, and every way a session stops
being valid reaching it: a logout in this process at once, a revocation or a role change recorded
by another process as soon as this process's log reader sees it."""

from __future__ import annotations

import time
from uuid import UUID

from adapters.infrastructure import open_infrastructure
from commands.identity.roles import ChangeRole, grant_role
from commands.identity.sessions import log_out
from commands.pipeline import SYSTEM, Actor, deps_for, execute
from domain.identity import Role
from tests.conftest import settings_for


def _eventually(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_checked_session_is_served_from_memory_until_this_process_ends_it(client, app, make_person):
    sessions = app.state.deps.sessions
    assert _eventually(sessions.following.is_set)
    alice = make_person()
    session_id = app.state.deps.tokens.verify(alice.tokens["access_token"]).session_id
    assert client.get("/api/v1/users/me", headers=alice.headers).status_code == 200
    assert sessions.get(session_id) == (UUID(alice.user_id), frozenset({"student"}))
    assert client.delete("/api/v1/sessions/current", headers=alice.headers).status_code == 200
    assert sessions.get(session_id) is None
    assert client.get("/api/v1/users/me", headers=alice.headers).status_code == 401


def test_changes_recorded_by_another_process_reach_the_cache(client, app, make_person, infra, tmp_path):
    sessions = app.state.deps.sessions
    assert _eventually(sessions.following.is_set)
    bob = make_person()
    claims = app.state.deps.tokens.verify(bob.tokens["access_token"])
    assert client.get("/api/v1/users/me", headers=bob.headers).json()["roles"] == ["student"]
    assert sessions.get(claims.session_id) is not None
    other = open_infrastructure(settings_for(tmp_path, secret_key=infra.settings.resolved_secret_key()),
                                infra.database_url)
    try:
        elsewhere = deps_for(other)  # its own event store: nothing it records reaches this process directly
        execute(grant_role, ChangeRole(user_id=claims.user_id, role=Role.TEACHER), SYSTEM, elsewhere)
        assert _eventually(lambda: sessions.get(claims.session_id) is None), "the role change did not reach the cache"
        assert client.get("/api/v1/users/me", headers=bob.headers).status_code == 200
        assert sessions.get(claims.session_id) == (claims.user_id, frozenset({"student", "teacher"}))
        execute(log_out, None, Actor(claims.user_id, frozenset({"student"}), claims.session_id), elsewhere)
        assert _eventually(lambda: client.get("/api/v1/users/me", headers=bob.headers).status_code == 401)
    finally:
        other.close()
