"""Which learning event makes which xAPI statements (workers/streaming/xapi_statements.py runs them).

| event | verb | object |
|---|---|---|
| LessonProgress.Started, Attempt.Started | launched | the class lesson, the quiz |
| LessonProgress.VideoWatched, Enrolment.VideoWatched | progressed (cmi5 progress 0..100) | the lesson |
| LessonProgress.Completed, Enrolment.LessonCompleted, Enrolment.CourseCompleted | completed | the lesson, the course |
| Attempt.AnswerSaved, Attempt.TextAnswerSaved | answered (no response: answers stay in SkillHub) | the question |
| Attempt.Submitted, .EssayGraded, .Regraded | scored, and passed/failed once nothing is pending and the quiz has a pass mark | the quiz |
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from adapters.outside import xapi
from domain.attempts import Attempt
from domain.class_progress import LessonProgress
from domain.enrolment import Enrolment
from domain.scoring import passed, totals

if TYPE_CHECKING:
    from workers.streaming.xapi_statements import StatementMaker

Maker = Callable[["StatementMaker", Any], Iterator[dict[str, Any]]]


def _class_lesson(m: StatementMaker, e: Any) -> Iterator[dict[str, Any]]:
    start = m.created(e.originator_id)
    lesson = m.activity("class-lesson", start.lesson_id, type_="lesson")
    parents = (m.activity("class", start.class_id, type_="course"),)
    if isinstance(e, LessonProgress.Started):
        yield m.make(e, "launched", start.student_id, lesson, parents=parents)
    elif isinstance(e, LessonProgress.VideoWatched):
        yield m.make(e, "progressed", start.student_id, lesson, parents=parents,
                     result={"extensions": {xapi.PROGRESS_EXTENSION: round(e.watched_share * 100)}})
    else:
        yield m.make(e, "completed", start.student_id, lesson, parents=parents, result={"completion": True})


def _course(m: StatementMaker, e: Any) -> Iterator[dict[str, Any]]:
    start = m.created(e.originator_id)
    course = m.activity("course", start.course_id, type_="course")
    if isinstance(e, Enrolment.CourseCompleted):
        yield m.make(e, "completed", start.student_id, course, result={"completion": True})
        return
    lesson = m.activity("course", start.course_id, "lesson", e.lesson_id, type_="lesson")
    if isinstance(e, Enrolment.VideoWatched):
        yield m.make(e, "progressed", start.student_id, lesson, parents=(course,),
                     result={"extensions": {xapi.PROGRESS_EXTENSION: round(e.watched_share * 100)}})
    else:
        yield m.make(e, "completed", start.student_id, lesson, parents=(course,), result={"completion": True})


def _attempt(m: StatementMaker, e: Any) -> Iterator[dict[str, Any]]:
    start = e if isinstance(e, Attempt.Started) else m.created(e.originator_id)
    quiz = m.activity("quiz", start.quiz_id, type_="assessment")
    common = {"registration": e.originator_id}  # an attempt's statements share its registration
    if isinstance(e, Attempt.Started):
        yield m.make(e, "launched", start.student_id, quiz, **common)
    elif isinstance(e, Attempt.AnswerSaved | Attempt.TextAnswerSaved):
        question = m.activity("quiz", start.quiz_id, "question", e.question_id, type_="cmi.interaction")
        yield m.make(e, "answered", start.student_id, question, parents=(quiz,), **common)
    else:
        grades = e.grades if isinstance(e, Attempt.Submitted) else m.grades_at(e.originator_id, e.originator_version)
        total = totals(grades)
        pending = total["pending"] > 0  # an essay not graded yet: no verdict
        result: dict[str, Any] = {"completion": True}
        if (scaled := xapi.score(total["score"], total["max_score"])) is not None:
            result["score"] = scaled
        yield m.make(e, "scored", start.student_id, quiz, result=result, **common)
        verdict = None if pending else passed(total["percent"], m.pass_mark(start.quiz_id, start.quiz_version))
        if verdict is not None:
            yield m.make(e, "passed" if verdict else "failed", start.student_id, quiz,
                         result={**result, "success": verdict}, **common)


MAKERS: dict[type, Maker] = {
    **dict.fromkeys((LessonProgress.Started, LessonProgress.VideoWatched, LessonProgress.Completed), _class_lesson),
    **dict.fromkeys((Enrolment.VideoWatched, Enrolment.LessonCompleted, Enrolment.CourseCompleted), _course),
    **dict.fromkeys((Attempt.Started, Attempt.AnswerSaved, Attempt.TextAnswerSaved, Attempt.Submitted,
                     Attempt.EssayGraded, Attempt.Regraded), _attempt),
}
