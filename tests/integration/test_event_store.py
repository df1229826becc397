"""The event store on the embedded server: large atomic saves, positions, conflicts."""

from __future__ import annotations

import threading
from uuid import uuid4

import pytest

from adapters.event_store import ConcurrentChange
from domain.event_conventions import Cause, caused_by
from domain.identity import CreatorApplication


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
