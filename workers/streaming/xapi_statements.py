"""Learning events as xAPI statements (adapters/outside/xapi.py has the statement rules).

The mapping from events to statements is workers/streaming/xapi_mapping.py (a table in docs/xapi.md).
Events that do not name their person (an attempt's answers, an enrolment's completions) are
completed from their aggregate's creation event: in the stretch itself, remembered, or read from
the log in one query per stretch. So a statement is the same whether it is made in one pass over
the history or by a forwarder resuming midway.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from adapters.outside import xapi
from adapters.events.event_store import EVENTS_TABLE, EventStore
from domain.attempts import Attempt
from domain.class_progress import LessonProgress
from domain.enrolment import Enrolment
from domain.event_conventions import topics_of
from domain.quizzes import Quiz
from workers.streaming.xapi_mapping import MAKERS

LEARNING_EVENTS = (
    LessonProgress.Started, LessonProgress.VideoWatched, LessonProgress.Completed,
    Enrolment.VideoWatched, Enrolment.LessonCompleted, Enrolment.CourseCompleted,
    Attempt.Started, Attempt.AnswerSaved, Attempt.TextAnswerSaved, Attempt.Submitted, Attempt.EssayGraded,
    Attempt.Regraded,
)
LEARNING_TOPICS = sorted({t for cls in LEARNING_EVENTS for t in topics_of(cls)})
_LOG_SQL = (f"SELECT notification_id, originator_id, originator_version, topic, state FROM public.{EVENTS_TABLE}"
            " WHERE notification_id > %s AND topic = ANY(%s) ORDER BY notification_id LIMIT %s")
_CREATIONS_SQL = (f"SELECT notification_id, originator_id, originator_version, topic, state FROM public.{EVENTS_TABLE}"
                  " WHERE originator_id = ANY(%s) AND originator_version = 1")
_CREATIONS = (LessonProgress.Started, Enrolment.Enrolled, Attempt.Started)
_ROWS_SQL = (f"SELECT notification_id, originator_id, originator_version, topic, state FROM public.{EVENTS_TABLE}"
             " WHERE originator_id = %s AND originator_version <= %s AND topic = ANY(%s) ORDER BY originator_version")


class StatementMaker:
    cache_size = 50_000  # creation events remembered (aggregates with learning going on)

    def __init__(self, pool: ConnectionPool, store: EventStore, public_url: str) -> None:
        self.pool, self.store, self.base = pool, store, public_url.rstrip("/")
        self._creations: OrderedDict[UUID, Any] = OrderedDict()
        self.pass_mark = lru_cache(maxsize=5_000)(self._pass_mark)

    def _events(self, aggregate_id: UUID, up_to: int, classes: tuple[type, ...]) -> list[Any]:
        topics = sorted({t for cls in classes for t in topics_of(cls)})
        with self.pool.connection() as conn:
            rows = conn.execute(_ROWS_SQL, (aggregate_id, up_to, topics)).fetchall()
        return self.store.decode_many(rows)

    def _remember(self, creation: Any) -> None:
        self._creations[creation.originator_id] = creation
        self._creations.move_to_end(creation.originator_id)
        if len(self._creations) > self.cache_size:
            self._creations.popitem(last=False)

    def _prefetch(self, events: list[Any]) -> None:
        """The creation events a batch needs, in one query (those not in the batch or remembered)."""
        for e in events:
            if isinstance(e, _CREATIONS):
                self._remember(e)
        missing = list({e.originator_id for e in events
                        if type(e) in MAKERS and e.originator_id not in self._creations})
        if missing:
            with self.pool.connection() as conn:
                rows = conn.execute(_CREATIONS_SQL, (missing,)).fetchall()
            for creation in self.store.decode_many(rows):
                self._remember(creation)

    def created(self, aggregate_id: UUID) -> Any:
        if aggregate_id not in self._creations:
            self._remember(self._events(aggregate_id, 1, _CREATIONS)[0])
        return self._creations[aggregate_id]

    def _pass_mark(self, quiz_id: UUID, quiz_version: int) -> float | None:
        for e in self._events(quiz_id, 2**31, (Quiz.Published,)):
            if e.quiz_version == quiz_version:
                return e.snapshot["settings"].get("pass_mark")
        return None

    def grades_at(self, attempt_id: UUID, version: int) -> dict[str, Any]:
        grades: dict[str, Any] = {}
        for e in self._events(attempt_id, version, (Attempt.Submitted, Attempt.EssayGraded, Attempt.Regraded)):
            grades = e.grades if isinstance(e, Attempt.Submitted) else {**grades, e.question_id: e.grade}
        return grades

    def activity(self, kind: str, *ids: UUID, type_: str) -> xapi.Activity:
        return xapi.Activity(f"{self.base}/xapi/activities/{kind}/" + "/".join(str(i) for i in ids), type_)

    def statements(self, events: list[Any]) -> list[dict[str, Any]]:
        """The statements of a stretch of the log, in its order."""
        self._prefetch(events)
        return [s for e in events if (maker := MAKERS.get(type(e))) for s in maker(self, e)]

    def make(self, e: Any, verb: str, person: UUID, activity: xapi.Activity, **extra: Any) -> dict[str, Any]:
        return xapi.statement(aggregate_id=e.originator_id, version=e.originator_version, verb=verb,
                              actor=xapi.agent(self.base, person), activity=activity, when=e.timestamp, **extra)


def learning_rows_after(pool: ConnectionPool, position: int, limit: int) -> list[dict[str, Any]]:
    """The next learning events of the log after `position`, in log order."""
    with pool.connection() as conn:
        return conn.execute(_LOG_SQL, (position, LEARNING_TOPICS, limit)).fetchall()
