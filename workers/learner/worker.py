"""The learner worker: follows the log like a read model (a subscription to the process's
LogReader, one active worker across processes by an advisory lock, the log read directly when it
is behind the reader's memory) and learns one answer at a time. Each batch is committed with the
pickled model and its log position (workers/learner/checkpoint.py); any failure drops the
in-memory model and resumes from the last commit, so nothing is learned twice or skipped."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE, EventStore
from adapters.infrastructure import Infrastructure
from domain.attempts import Attempt
from domain.event_conventions import topics_of
from projections.engine.log_reader import LogReader, Subscription, reader_of_its_own
from projections.learner.tables import create_tables
from workers.learner import checkpoint
from workers.learner.state import WATCHED, Answer, LearnerState, OpenAttempt

if TYPE_CHECKING:
    from workers.supervision import Workers

log = logging.getLogger(__name__)
TOPICS = frozenset(topic for cls in WATCHED for topic in topics_of(cls))
LOCK_KEY = "skillhub:active:learner"
_READ = sql.SQL(
    "SELECT h.head, e.* FROM (SELECT coalesce(max(notification_id), 0) AS head FROM public.{t}) h"
    " LEFT JOIN LATERAL (SELECT notification_id, originator_id, originator_version, topic, state FROM public.{t}"
    "  WHERE notification_id > %s AND topic = ANY(%s) ORDER BY notification_id LIMIT %s) e ON true"
).format(t=sql.Identifier(EVENTS_TABLE))


def read_log(pool: ConnectionPool, store: EventStore, after: int, limit: int) -> tuple[list[tuple[int, Any]], int]:
    """The next watched events after `after` with their positions, and the position read up to."""
    with pool.connection() as conn:
        rows = conn.execute(_READ, (after, sorted(TOPICS), limit)).fetchall()
    found = [r for r in rows if r["notification_id"] is not None]
    end = found[-1]["notification_id"] if len(found) == limit else max(rows[0]["head"], after)
    return list(zip((r["notification_id"] for r in found), store.decode_many(found), strict=True)), end


@dataclass
class Batch:
    """What one batch changed: the answers learned, each touched (student, skill)'s estimate right
    after its latest answer (so it does not depend on where batches end), the attempts opened and closed."""

    answers: list[Answer] = field(default_factory=list)
    estimates: dict[tuple[UUID, str], tuple[float, Answer]] = field(default_factory=dict)
    opened: list[tuple[UUID, tuple[OpenAttempt, int]]] = field(default_factory=list)
    closed: list[UUID] = field(default_factory=list)
    skills: dict[str, tuple[list[str], list[UUID], int]] = field(default_factory=dict)  # the skill map's changes


def learn(state: LearnerState, events: list[tuple[int, Any]], end: int) -> Batch:
    batch = Batch()
    for position, event in events:
        answers = state.apply(event, position)
        batch.answers += answers
        for a in answers:
            for skill in a.skills:
                batch.estimates[(a.student_id, skill)] = (state.mastery(a.student_id, skill), a)
        if isinstance(event, Attempt.Started):
            batch.opened.append((event.originator_id, (state.open[event.originator_id], position)))
        elif isinstance(event, Attempt.Submitted):
            batch.closed.append(event.originator_id)
        for name in state.skill_map.apply(event):
            batch.skills[name] = (*state.skill_map.row(name), position)
    state.position = max(state.position, end)
    return batch


class LearnerWorker:
    def __init__(self, database_url: str, pool: ConnectionPool, store: EventStore, batch_size: int = 500,
                 reader: LogReader | None = None) -> None:
        self.database_url, self.pool, self.store, self.batch_size = database_url, pool, store, batch_size
        self.reader = reader
        self.state: LearnerState | None = None  # the committed model while active
        self.idle_timeout, self.retry_seconds, self.flush_seconds = 5.0, 1.0, 1.0
        self.checkpoint_seconds = 5.0  # the longest stretch of learning a restart may have to replay

    def run(self, stop: threading.Event) -> None:
        create_tables(self.pool)
        with reader_of_its_own(self.reader, self.database_url, self.pool, self.store, stop, "learner",
                               self.idle_timeout) as reader:
            subscription = reader.subscribe("learner", sorted(TOPICS), LOCK_KEY)
            try:
                while not stop.is_set():
                    if not subscription.active.wait(0.25):
                        continue
                    try:
                        self._follow(reader, subscription, stop)
                    except Exception:  # noqa: BLE001 - resume from the last commit
                        log.exception("learner: failed; resuming from the checkpoint")
                        stop.wait(self.retry_seconds)
            finally:
                self.state = None
                reader.unsubscribe(subscription)

    def _follow(self, reader: LogReader, subscription: Subscription, stop: threading.Event) -> None:
        self.state = None
        state = checkpoint.load(self.pool)
        saved, saved_at = state.position, time.monotonic()  # where the checkpoint is, and since when
        while not stop.is_set() and subscription.active.is_set():
            subscription.wake.clear()
            taken = reader.take(subscription, state.position, self.batch_size, with_positions=True)
            events, end = taken if taken is not None else read_log(self.pool, self.store, state.position,
                                                                   self.batch_size)
            if events or (end > state.position and time.monotonic() - saved_at >= self.flush_seconds):
                if not events and saved == state.position:
                    checkpoint.move_to(self.pool, saved, end)
                    state.position = saved = end
                    saved_at = time.monotonic()
                    continue
                # Pickling the whole state is the costly part: at most every checkpoint_seconds while
                # answers stream in, and whenever the worker has caught up.
                with_state = not events or time.monotonic() - saved_at >= self.checkpoint_seconds
                checkpoint.save(self.pool, state, saved, learn(state, events, end), with_state)
                if with_state:
                    saved, saved_at = state.position, time.monotonic()
                self.state = state
                continue
            if saved != state.position:  # caught up with learning not yet checkpointed
                checkpoint.save(self.pool, state, saved, learn(state, [], end), True)
                saved, saved_at = state.position, time.monotonic()
                continue
            self.state = state
            subscription.wake.wait(self.flush_seconds if end > state.position else self.idle_timeout)


def start(infra: Infrastructure, workers: Workers) -> None:
    worker = LearnerWorker(infra.database_url, infra.pool, infra.store, infra.settings.projection_batch_size,
                           workers.log_reader(infra))
    workers.spawn("learner", worker.run)


def replay(pool: ConnectionPool, store: EventStore, batch_size: int = 500) -> LearnerState:
    """The model learned from the whole log in one go, from scratch (what a rebuild reproduces)."""
    state = LearnerState()
    while True:
        events, end = read_log(pool, store, state.position, batch_size)
        if end == state.position:
            return state
        learn(state, events, end)
