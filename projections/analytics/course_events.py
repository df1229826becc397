"""Course events into the progress read model: enrolments, lessons, videos, course assessments,
milestones and certificates."""

from __future__ import annotations

from uuid import UUID

import psycopg

from domain.catalog import Course
from domain.certification import Certificate
from domain.course_assessments import PASS_MARK, AssessmentResult, CourseAssessment
from domain.enrolment import Enrolment
from projections.analytics.activity import (
    note_activity,
    watched_seconds,
)
from projections.analytics.tables import progress


@progress.on
def course_created(cur: psycopg.Cursor, e: Course.Created | Course.DetailsEdited) -> None:
    cur.execute("INSERT INTO courses (course_id, title) VALUES (%s, %s)"
                " ON CONFLICT (course_id) DO UPDATE SET title = EXCLUDED.title", (e.originator_id, e.title))


@progress.on
def course_published(cur: psycopg.Cursor, e: Course.Published) -> None:
    cur.execute("UPDATE courses SET lesson_ids = %s, published_at = %s WHERE course_id = %s",
                (e.lesson_ids, e.timestamp, e.originator_id))


@progress.on
def enrolled(cur: psycopg.Cursor, e: Enrolment.Enrolled) -> None:
    cur.execute("INSERT INTO enrolment_ids (enrolment_id, student_id, course_id) VALUES (%s, %s, %s)"
                " ON CONFLICT DO NOTHING", (e.originator_id, e.student_id, e.course_id))
    cur.execute("INSERT INTO learners (student_id, scope_id, scope, joined_at, due_at) VALUES (%s, %s, 'course', %s, %s)"
                " ON CONFLICT (scope_id, student_id) DO UPDATE SET due_at = EXCLUDED.due_at",
                (e.student_id, e.course_id, e.timestamp, e.due_at))


def _enrolment(cur: psycopg.Cursor, enrolment_id: object) -> tuple[UUID, UUID]:
    cur.execute("SELECT student_id, course_id FROM enrolment_ids WHERE enrolment_id = %s", (enrolment_id,))
    row = cur.fetchone()
    return row["student_id"], row["course_id"]


@progress.on
def membership_changed(cur: psycopg.Cursor, e: Enrolment.Rejoined | Enrolment.Assigned | Enrolment.Left) -> None:
    student_id, course_id = _enrolment(cur, e.originator_id)
    if isinstance(e, Enrolment.Left):
        cur.execute("UPDATE learners SET active = false, left_at = %s WHERE scope_id = %s AND student_id = %s",
                    (e.timestamp, course_id, student_id))
        return
    due = ", due_at = %(due)s" if isinstance(e, Enrolment.Assigned) else ""
    cur.execute(f"UPDATE learners SET active = true, left_at = NULL{due} WHERE scope_id = %(c)s AND student_id = %(s)s",
                {"due": getattr(e, "due_at", None), "c": course_id, "s": student_id})


@progress.on
def lesson_completed(cur: psycopg.Cursor, e: Enrolment.LessonCompleted) -> None:
    student_id, course_id = _enrolment(cur, e.originator_id)
    cur.execute("INSERT INTO lesson_completions (scope_id, lesson_id, student_id, at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING", (course_id, e.lesson_id, student_id, e.timestamp))
    note_activity(cur, student_id, course_id, "course", e.timestamp, completions=1)


@progress.on
def milestone(cur: psycopg.Cursor, e: Enrolment.MilestoneReached | Enrolment.CourseCompleted) -> None:
    column = {"first_lesson": "first_lesson_at", "halfway": "halfway_at"}.get(getattr(e, "milestone", ""), "completed_at")
    student_id, course_id = _enrolment(cur, e.originator_id)
    cur.execute(f"UPDATE learners SET {column} = coalesce({column}, %s) WHERE scope_id = %s AND student_id = %s",
                (e.timestamp, course_id, student_id))


@progress.on
def course_video(cur: psycopg.Cursor, e: Enrolment.VideoWatched) -> None:
    student_id, course_id = _enrolment(cur, e.originator_id)
    seconds = watched_seconds(cur, f"{e.originator_id}:{e.lesson_id}:{e.media_id}", e.position_seconds)
    note_activity(cur, student_id, course_id, "course", e.timestamp, seconds=seconds)


@progress.on
def assessment_defined(cur: psycopg.Cursor, e: CourseAssessment.Defined) -> None:
    cur.execute("INSERT INTO items (item_id, scope_id, scope, kind, title, due_at, weight)"
                " VALUES (%s, %s, 'course', %s, %s, %s, %s)"
                " ON CONFLICT (item_id) DO NOTHING", (e.originator_id, e.course_id, e.kind, e.title, e.due_at, e.weight))


@progress.on
def result_recorded(cur: psycopg.Cursor, e: AssessmentResult.Recorded) -> None:
    passed = None if e.score is None else e.score >= PASS_MARK
    note_activity(cur, e.student_id, e.course_id, "course", e.submitted_at, result={
        "result_id": e.originator_id, "item_id": e.assessment_id, "score": e.score, "passed": passed})


@progress.on
def certificate_issued(cur: psycopg.Cursor, e: Certificate.Issued) -> None:
    cur.execute("UPDATE learners SET certificate_at = coalesce(certificate_at, %s) WHERE scope_id = %s AND student_id = %s",
                (e.timestamp, e.course_id, e.student_id))
