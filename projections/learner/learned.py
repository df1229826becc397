"""Read-your-writes for the learner's estimates: wait until the learner worker's checkpoint has
reached a log position. An idle worker moves its position up to the log's head within about a
second, and one that has caught up saves at once; under a long stream of answers the position
moves at most every `checkpoint_seconds` (workers/learner/worker.py), so a wait may end in 503."""

from __future__ import annotations

import time

from psycopg_pool import ConnectionPool

from domain.errors import InvalidInput
from projections.engine.tracking import NotCaughtUp, log_head
from projections.learner.mastery_queries import model_position


def wait_until_learned(pool: ConnectionPool, position: int | None, timeout: float) -> None:
    if not position:
        return
    head = log_head(pool)
    if position > head:
        raise InvalidInput(f"min_position {position} is beyond the end of the log ({head}):"
                           " pass the position a command returned")
    deadline = time.monotonic() + timeout
    while model_position(pool)["position"] < position:
        if time.monotonic() >= deadline:
            raise NotCaughtUp(f"the learner worker has not reached position {position} yet")
        time.sleep(0.02)
