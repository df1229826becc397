"""Enrolment read model: who takes which course (enrolled or assigned), the lessons each
student completed, and the lessons of each course's published revision (for progress)."""

from __future__ import annotations

from typing import Any

import psycopg

from domain.catalog import Course
from domain.enrolment import Enrolment
from domain.identity import User
from projections.engine import Projection

enrolment = Projection(
    name="enrolment",
    tables=[
        """CREATE TABLE IF NOT EXISTS enrolments (
            enrolment_id uuid PRIMARY KEY, student_id uuid NOT NULL, course_id uuid NOT NULL,
            active boolean NOT NULL, assigned_by uuid, class_id uuid, due_at timestamptz,
            enrolled_at timestamptz NOT NULL, left_at timestamptz, completed_at timestamptz,
            last_activity_at timestamptz, UNIQUE (student_id, course_id))""",
        "CREATE INDEX IF NOT EXISTS enrolments_course ON enrolments (course_id, enrolled_at, student_id)",
        "CREATE INDEX IF NOT EXISTS enrolments_student ON enrolments (student_id, enrolled_at, course_id)",
        """CREATE TABLE IF NOT EXISTS completions (
            enrolment_id uuid NOT NULL, lesson_id uuid NOT NULL, completed_at timestamptz NOT NULL,
            PRIMARY KEY (enrolment_id, lesson_id))""",
        """CREATE TABLE IF NOT EXISTS course_lessons (
            course_id uuid NOT NULL, lesson_id uuid NOT NULL, PRIMARY KEY (course_id, lesson_id))""",
    ],
)


@enrolment.on(Enrolment.Enrolled)
def enrolled(cur: psycopg.Cursor, e: Any) -> None:
    # An assignment is the teacher's doing: the student's last activity stays empty.
    activity = None if e.assigned_by else e.timestamp
    cur.execute(
        "INSERT INTO enrolments (enrolment_id, student_id, course_id, active, assigned_by, class_id, due_at,"
        " enrolled_at, last_activity_at) VALUES (%s, %s, %s, true, %s, %s, %s, %s, %s)"
        " ON CONFLICT (enrolment_id) DO NOTHING",
        (e.originator_id, e.student_id, e.course_id, e.assigned_by, e.class_id, e.due_at, e.timestamp, activity),
    )


@enrolment.on(Enrolment.Rejoined)
def rejoined(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute(
        "UPDATE enrolments SET active = true, left_at = NULL, enrolled_at = %s, last_activity_at = %s"
        " WHERE enrolment_id = %s",
        (e.timestamp, e.timestamp, e.originator_id),
    )


@enrolment.on(Enrolment.Assigned)
def assigned(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute(
        "UPDATE enrolments SET active = true, left_at = NULL, assigned_by = %s, class_id = %s, due_at = %s,"
        " enrolled_at = CASE WHEN active THEN enrolled_at ELSE %s END WHERE enrolment_id = %s",
        (e.assigned_by, e.class_id, e.due_at, e.timestamp, e.originator_id),
    )


@enrolment.on(Enrolment.Left)
def left(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute(
        "UPDATE enrolments SET active = false, left_at = %s, last_activity_at = %s WHERE enrolment_id = %s",
        (e.timestamp, e.timestamp, e.originator_id),
    )


@enrolment.on(Enrolment.LessonCompleted)
def lesson_completed(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute(
        "INSERT INTO completions (enrolment_id, lesson_id, completed_at) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (e.originator_id, e.lesson_id, e.timestamp),
    )
    cur.execute(
        "UPDATE enrolments SET last_activity_at = %s WHERE enrolment_id = %s", (e.timestamp, e.originator_id)
    )


@enrolment.on(Enrolment.CourseCompleted)
def course_completed(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("UPDATE enrolments SET completed_at = %s WHERE enrolment_id = %s", (e.timestamp, e.originator_id))


@enrolment.on(Course.Published)
def course_published(cur: psycopg.Cursor, e: Any) -> None:
    """Progress counts the lessons of the revision on show now."""
    cur.execute("DELETE FROM course_lessons WHERE course_id = %s", (e.originator_id,))
    cur.executemany(
        "INSERT INTO course_lessons (course_id, lesson_id) VALUES (%s, %s)",
        [(e.originator_id, lesson_id) for lesson_id in e.lesson_ids],
    )


@enrolment.on(User.Erased)
def person_erased(cur: psycopg.Cursor, e: Any) -> None:
    """A person's learning record goes with them."""
    cur.execute(
        "DELETE FROM completions WHERE enrolment_id IN (SELECT enrolment_id FROM enrolments WHERE student_id = %s)",
        (e.originator_id,),
    )
    cur.execute("DELETE FROM enrolments WHERE student_id = %s", (e.originator_id,))
