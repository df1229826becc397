"""The event store on the embedded server: large atomic saves, positions, conflicts."""

from __future__ import annotations

import threading
from uuid import uuid4

import pytest

from adapters.events.event_store import ConcurrentChange
from domain.creator_applications import CreatorApplication
from domain.event_conventions import Cause, caused_by


def test_large_saves_complete_and_get_consecutive_positions(fresh_infra):
    """A pipelined insert of a few hundred KB deadlocked over the Unix socket; this one must not."""
    with caused_by(Cause(None, uuid4())):
        for _ in range(5):
            batch = [CreatorApplication.submit(uuid4(), "x" * 5000) for _ in range(200)]
            finished = threading.Event()
            positions: list[int] = []
            saver = threading.Thread(target=lambda: (positions.append(fresh_infra.store.record(*batch)), finished.set()), daemon=True)
            saver.start()
            assert finished.wait(30), "a 1 MB save did not complete"
    assert positions[0] > 0


def test_a_version_clash_is_a_concurrent_change_and_saves_nothing(fresh_infra):
    with caused_by(Cause(None, uuid4())):
        application = CreatorApplication.submit(uuid4(), "first")
        position = fresh_infra.store.record(application)
        copy_a = fresh_infra.store.load(application.id)
        copy_b = fresh_infra.store.load(application.id)
        copy_a.reject(uuid4(), "a")
        copy_b.reject(uuid4(), "b")
        fresh_infra.store.record(copy_a)
        other = CreatorApplication.submit(uuid4(), "saved with the clash")
        with pytest.raises(ConcurrentChange):
            fresh_infra.store.record(other, copy_b)
    assert fresh_infra.store.load(application.id).version == 2
    with pytest.raises(Exception):
        fresh_infra.store.load(other.id)
    assert position > 0


def test_events_stored_before_the_identity_split_still_load_project_and_publish(fresh_infra):
    """Session lived in domain/identity.py: its stored topics name that module."""
    from datetime import UTC, datetime, timedelta

    from eventsourcing.persistence import StoredEvent
    from psycopg import sql

    from adapters.events.cloudevents import SealedLog
    from adapters.events.event_store import EVENTS_TABLE
    from domain.sessions import Session
    from projections.audit.event_history import HistoryFilter, iter_history
    from projections.identity.identity import identity
    from projections.identity.queries import sessions_of
    from tests.integration.test_projection_engine import catch_up

    infra, user_id, session_id = fresh_infra, uuid4(), uuid4()
    expires = datetime.now(UTC) + timedelta(days=1)
    with caused_by(Cause(user_id, uuid4())):
        started = Session.start(session_id, user_id, "old-secret", expires, "192.0.2.1", "old client")
    new_shape = infra.store.mapper.to_stored_event(started.collect_events()[0])
    assert new_shape.topic == "domain.sessions:Session.Started"
    old_state = new_shape.state.replace(b'"domain.sessions:Session"', b'"domain.identity:Session"')
    assert old_state != new_shape.state
    infra.store.recorder.insert_events([StoredEvent(session_id, 1, "domain.identity:Session.Started", old_state)])

    session = infra.store.load(session_id)
    assert isinstance(session, Session) and session.user_id == user_id
    with caused_by(Cause(user_id, uuid4())):
        assert session.rotate("old-secret", "new-secret", expires, datetime.now(UTC))
        infra.store.record(session)  # today's topic, next to yesterday's
    with infra.pool.connection() as conn:
        rows = conn.execute(sql.SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {}"
                                    " WHERE originator_id = %s ORDER BY 1").format(sql.Identifier(EVENTS_TABLE)),
                            (session_id,)).fetchall()
    assert [r["topic"] for r in rows] == ["domain.identity:Session.Started", "domain.sessions:Session.Rotated"]
    assert [type(e) for e in infra.store.decode_many(rows)] == [Session.Started, Session.Rotated]
    assert [SealedLog(infra.pool, infra.store).envelope(r, 0)["type"] for r in rows] == [
        "skillhub.identity.Session.Started", "skillhub.identity.Session.Rotated"]
    by_type = list(iter_history(infra.pool, infra.store, HistoryFilter(event_type="Session.Started")))
    assert [e["data"]["user_agent"] for e in by_type] == ["old client"]

    catch_up(infra, identity)  # the projection asks for the old topic too
    assert [(s["session_id"], s["user_agent"]) for s in sessions_of(infra.pool, user_id)["items"]] == [(session_id, "old client")]
