"""Which (course, student) pairs a batch of events may have made due a certificate: the only
ones the issuing worker re-evaluates. Resolved through the certification and gradebook read
models, which the caller has waited for up to the batch's last event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.attempts import Attempt
from domain.catalog import Course
from domain.certification import CompletionRules
from domain.enrolment import Enrolment
from domain.gradebook import GradeOverride, GradingPolicy
from domain.quizzes import Quiz
from projections.certification import gradebook_queries
from projections.certification import queries as certification_queries

Pairs = set[tuple[UUID, UUID]]

# Per event class: which key it touches, and how a set of such keys becomes pairs.
_BY_ENROLMENT = (Enrolment.Enrolled, Enrolment.Rejoined, Enrolment.Assigned, Enrolment.LessonCompleted,
                 Enrolment.CourseCompleted)
_BY_COURSE: dict[type, Callable[[Any], UUID]] = {
    CompletionRules.Defined: lambda e: e.course_id,
    CompletionRules.Changed: lambda e: e.originator_id,  # the rules' id, resolved to its course
    Course.Published: lambda e: e.originator_id,  # lessons added or removed
    GradingPolicy.Set: lambda e: e.scope_id,
    GradingPolicy.Changed: lambda e: e.scope_id,
}
_BY_ATTEMPT = (Attempt.Submitted, Attempt.EssayGraded, Attempt.Regraded)
WATCHED: tuple[type, ...] = (*_BY_ENROLMENT, *_BY_COURSE, *_BY_ATTEMPT, GradeOverride.Overridden,
                             Quiz.Published)  # a new version's score policy re-counts earlier attempts


def touched(pool: ConnectionPool, events: list[Any]) -> Pairs:
    enrolments = [e.originator_id for e in events if type(e) in _BY_ENROLMENT]
    courses = [_BY_COURSE[type(e)](e) for e in events if type(e) in _BY_COURSE]
    attempts = [e.originator_id for e in events if type(e) in _BY_ATTEMPT]
    pairs = {(e.scope_id, e.student_id) for e in events if isinstance(e, GradeOverride.Overridden)}
    if enrolments:
        pairs |= certification_queries.enrolment_pairs(pool, enrolments)
    if quizzes := [e.originator_id for e in events if isinstance(e, Quiz.Published)]:
        courses += gradebook_queries.quiz_scopes(pool, quizzes)
    if courses:
        pairs |= certification_queries.course_pairs(pool, courses)
    if attempts:
        pairs |= gradebook_queries.attempt_pairs(pool, attempts)
    return pairs
