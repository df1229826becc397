"""Platform conventions: problem+json everywhere, health, readiness, read-your-writes, 409 on races."""

from __future__ import annotations

import threading
import uuid

import psycopg

from commands.identity.accounts import UpdateProfile, update_profile
from commands.loading import load
from commands.pipeline import Actor, execute
from domain.errors import Conflict
from domain.identity import Role, User
from projections.audit.event_history import HistoryFilter, iter_history
from projections.engine.engine import lock_key
from projections.identity.identity import identity


def test_unknown_routes_and_methods_are_problem_json(client):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["instance"] == "/api/v1/nothing-here"
    r = client.put("/api/v1/sessions")
    assert r.status_code == 405 and r.json()["title"] == "Method not allowed"


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert [p["name"] for p in ready.json()["projections"]][:1] == ["identity"]


def test_openapi_documents_who_may_call(client):
    spec = client.get("/openapi.json").json()
    operations = [op for path in spec["paths"].values() for op in path.values()]
    assert operations and all(op.get("description", "").startswith("Who:") for op in operations)


def test_query_waits_for_the_position_then_gives_up_with_503(client, make_person, app, infra):
    alice = make_person()
    settings = app.state.deps.settings
    before, settings.read_wait_seconds = settings.read_wait_seconds, 0.3
    # Holding the identity read model's swap lock stops its runner before its next batch.
    with psycopg.connect(infra.database_url, autocommit=True) as held:
        held.execute("SELECT pg_advisory_lock(hashtext(%s))", (lock_key("swap", identity),))
        try:
            changed = client.patch(f"/api/v1/users/{alice.user_id}", headers=alice.headers, json={"display_name": "Alice B."})
            assert changed.status_code == 200, changed.text
            r = client.get("/api/v1/users/me", headers=alice.headers, params={"min_position": changed.json()["position"]})
        finally:
            settings.read_wait_seconds = before
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"
    r = client.get("/api/v1/users/me", headers=alice.headers, params={"min_position": changed.json()["position"]})
    assert r.status_code == 200 and r.json()["display_name"] == "Alice B."


def test_a_position_beyond_the_log_is_a_422_at_once(client, make_person):
    alice = make_person()
    r = client.get("/api/v1/users/me", headers=alice.headers, params={"min_position": 10**12})
    assert r.status_code == 422 and "beyond the end of the log" in r.json()["detail"]
    assert client.get("/api/v1/courses", params={"min_position": 10**12}).status_code == 422


def test_a_concurrent_change_is_a_409_not_a_lost_update(app, make_person):
    alice = make_person()
    deps = app.state.deps
    actor = Actor(user_id=uuid.UUID(alice.user_id), roles=frozenset({Role.STUDENT.value}))
    original_load = load
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def slow_load(*args, **kwargs):
        aggregate = original_load(*args, **kwargs)
        barrier.wait(5)  # both commands have read version N before either writes
        return aggregate

    import commands.identity.accounts as accounts

    accounts.load = slow_load
    try:
        def change(name: str) -> None:
            try:
                execute(update_profile, UpdateProfile(user_id=alice.user_id, display_name=name), actor, deps)
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")

        threads = [threading.Thread(target=change, args=(n,)) for n in ("One", "Two")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        accounts.load = original_load
    assert sorted(outcomes) == ["conflict", "ok"]
    updates = [e for e in iter_history(deps.pool, deps.store, HistoryFilter(aggregate_id=uuid.UUID(alice.user_id)))
               if e["type"] == "User.ProfileUpdated"]
    assert len(updates) == 1
    assert load(deps, User, uuid.UUID(alice.user_id), "user").display_name == updates[0]["data"]["display_name"]


def test_conflict_maps_to_409_problem(client, make_person, monkeypatch):
    from adapters.events.event_store import ConcurrentChange, EventStore

    alice = make_person()

    def racing(self, *aggregates):
        raise ConcurrentChange("simulated race")

    monkeypatch.setattr(EventStore, "record", racing)
    r = client.patch(f"/api/v1/users/{alice.user_id}", json={"display_name": "X"}, headers=alice.headers)
    assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
