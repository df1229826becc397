"""Learning events as xAPI statements (adapters/xapi.py has the statement rules).

| event | verb | object |
|---|---|---|
| LessonProgress.Started, Attempt.Started | launched | the class lesson, the quiz |
| LessonProgress.VideoWatched, Enrolment.VideoWatched | progressed (cmi5 progress 0..100) | the lesson |
| LessonProgress.Completed, Enrolment.LessonCompleted, Enrolment.CourseCompleted | completed | the lesson, the course |
| Attempt.AnswerSaved, Attempt.TextAnswerSaved | answered (no response: answers stay in SkillHub) | the question |
| Attempt.Submitted, .EssayGraded, .Regraded | scored, and passed/failed once nothing is pending and the quiz has a pass mark | the quiz |

Events that do not name their person (an attempt's answers, an enrolment's completions) are
completed from their aggregate's creation event, read from the log (cached), so a statement is
the same whether it is made in one pass over the history or by a forwarder resuming midway.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from adapters import xapi
from adapters.event_store import EVENTS_TABLE, EventStore
from domain.attempts import Attempt
from domain.class_progress import LessonProgress
from domain.enrolment import Enrolment
from domain.event_conventions import topics_of
from domain.quizzes import Quiz
from domain.scoring import passed, totals

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
                        if type(e) in _MAKERS and e.originator_id not in self._creations})
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

    def _grades_at(self, attempt_id: UUID, version: int) -> dict[str, Any]:
        grades: dict[str, Any] = {}
        for e in self._events(attempt_id, version, (Attempt.Submitted, Attempt.EssayGraded, Attempt.Regraded)):
            grades = e.grades if isinstance(e, Attempt.Submitted) else {**grades, e.question_id: e.grade}
        return grades

    def activity(self, kind: str, *ids: UUID, type_: str) -> xapi.Activity:
        return xapi.Activity(f"{self.base}/xapi/activities/{kind}/" + "/".join(str(i) for i in ids), type_)

    def statements(self, events: list[Any]) -> list[dict[str, Any]]:
        """The statements of a stretch of the log, in its order."""
        self._prefetch(events)
        return [s for e in events if (maker := _MAKERS.get(type(e))) for s in maker(self, e)]

    def _one(self, e: Any, verb: str, person: UUID, activity: xapi.Activity, **extra: Any) -> dict[str, Any]:
        return xapi.statement(aggregate_id=e.originator_id, version=e.originator_version, verb=verb,
                              actor=xapi.agent(self.base, person), activity=activity, when=e.timestamp, **extra)


Maker = Callable[[StatementMaker, Any], Iterator[dict[str, Any]]]


def _class_lesson(m: StatementMaker, e: Any) -> Iterator[dict[str, Any]]:
    start = m.created(e.originator_id)
    lesson = m.activity("class-lesson", start.lesson_id, type_="lesson")
    parents = (m.activity("class", start.class_id, type_="course"),)
    if isinstance(e, LessonProgress.Started):
        yield m._one(e, "launched", start.student_id, lesson, parents=parents)
    elif isinstance(e, LessonProgress.VideoWatched):
        yield m._one(e, "progressed", start.student_id, lesson, parents=parents,
                     result={"extensions": {xapi.PROGRESS_EXTENSION: round(e.watched_share * 100)}})
    else:
        yield m._one(e, "completed", start.student_id, lesson, parents=parents, result={"completion": True})


def _course(m: StatementMaker, e: Any) -> Iterator[dict[str, Any]]:
    start = m.created(e.originator_id)
    course = m.activity("course", start.course_id, type_="course")
    if isinstance(e, Enrolment.CourseCompleted):
        yield m._one(e, "completed", start.student_id, course, result={"completion": True})
        return
    lesson = m.activity("course", start.course_id, "lesson", e.lesson_id, type_="lesson")
    if isinstance(e, Enrolment.VideoWatched):
        yield m._one(e, "progressed", start.student_id, lesson, parents=(course,),
                     result={"extensions": {xapi.PROGRESS_EXTENSION: round(e.watched_share * 100)}})
    else:
        yield m._one(e, "completed", start.student_id, lesson, parents=(course,), result={"completion": True})


def _attempt(m: StatementMaker, e: Any) -> Iterator[dict[str, Any]]:
    start = e if isinstance(e, Attempt.Started) else m.created(e.originator_id)
    quiz = m.activity("quiz", start.quiz_id, type_="assessment")
    common = {"registration": e.originator_id}  # an attempt's statements share its registration
    if isinstance(e, Attempt.Started):
        yield m._one(e, "launched", start.student_id, quiz, **common)
    elif isinstance(e, Attempt.AnswerSaved | Attempt.TextAnswerSaved):
        question = m.activity("quiz", start.quiz_id, "question", e.question_id, type_="cmi.interaction")
        yield m._one(e, "answered", start.student_id, question, parents=(quiz,), **common)
    else:
        grades = e.grades if isinstance(e, Attempt.Submitted) else m._grades_at(e.originator_id, e.originator_version)
        total = totals(grades)
        pending = total["pending"] > 0  # an essay not graded yet: no verdict
        result: dict[str, Any] = {"completion": True}
        if (scaled := xapi.score(total["score"], total["max_score"])) is not None:
            result["score"] = scaled
        yield m._one(e, "scored", start.student_id, quiz, result=result, **common)
        verdict = None if pending else passed(total["percent"], m.pass_mark(start.quiz_id, start.quiz_version))
        if verdict is not None:
            yield m._one(e, "passed" if verdict else "failed", start.student_id, quiz,
                         result={**result, "success": verdict}, **common)


_MAKERS: dict[type, Maker] = {
    **dict.fromkeys((LessonProgress.Started, LessonProgress.VideoWatched, LessonProgress.Completed), _class_lesson),
    **dict.fromkeys((Enrolment.VideoWatched, Enrolment.LessonCompleted, Enrolment.CourseCompleted), _course),
    **dict.fromkeys((Attempt.Started, Attempt.AnswerSaved, Attempt.TextAnswerSaved, Attempt.Submitted,
                     Attempt.EssayGraded, Attempt.Regraded), _attempt),
}


def learning_rows_after(pool: ConnectionPool, position: int, limit: int) -> list[dict[str, Any]]:
    """The next learning events of the log after `position`, in log order."""
    with pool.connection() as conn:
        return conn.execute(_LOG_SQL, (position, LEARNING_TOPICS, limit)).fetchall()
