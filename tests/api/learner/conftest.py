"""The assessment kit (classes, banks, quizzes, attempts) and a learner worker following the
session's log, for the mastery and next-step tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.api.assessment.conftest import cast, kit  # noqa: F401 - fixtures shared with assessment
from workers.learner.worker import LearnerWorker


@contextmanager
def learner_following(infra, workers) -> Iterator[LearnerWorker]:
    """A learner worker following the session's log while the block runs."""
    worker = LearnerWorker(infra.database_url, infra.pool, infra.store, 100, workers.log_reader(infra))
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        stop.set()
        thread.join(10)


@pytest.fixture(scope="package")
def learner(infra, workers) -> Iterator[LearnerWorker]:
    with learner_following(infra, workers) as worker:
        yield worker


def learned(infra, position: int, timeout: float = 60.0) -> None:
    """Wait until the learner worker has applied the log up to the position."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with infra.pool.connection() as conn:
            row = conn.execute("SELECT position FROM learner.checkpoint").fetchone()
        if row and row["position"] >= position:
            return
        time.sleep(0.05)
    raise AssertionError(f"learner did not reach position {position}")
