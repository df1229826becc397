"""Enrolment read model: who takes which course (enrolled or assigned, with every assignment),
the lessons each student completed and how far they watched, the lessons of each course's
published revision (for progress), and the courses assigned to whole classes."""

from __future__ import annotations

from typing import Any

import psycopg

from domain.catalog import Course
from domain.class_assignment import ClassAssignment
from domain.enrolment import Enrolment, source_of
from domain.identity import User
from projections.engine.engine import Projection

enrolment = Projection(
    name="enrolment",
    version=2,  # 2026-12: see docs/operations.md "Upgrades"
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
        # One row per source (a class, or an admin): enrolments.assigned_by/class_id/due_at are the first.
        """CREATE TABLE IF NOT EXISTS assignments (
            enrolment_id uuid NOT NULL, source_id uuid NOT NULL, assigned_by uuid NOT NULL, class_id uuid,
            due_at timestamptz, assigned_at timestamptz NOT NULL, PRIMARY KEY (enrolment_id, source_id))""",
        "CREATE INDEX IF NOT EXISTS assignments_class ON assignments (class_id, enrolment_id)",
        """CREATE TABLE IF NOT EXISTS video_progress (
            enrolment_id uuid NOT NULL, lesson_id uuid NOT NULL, media_id uuid NOT NULL,
            position_seconds double precision NOT NULL, duration_seconds double precision NOT NULL,
            watched_share double precision NOT NULL, updated_at timestamptz NOT NULL,
            PRIMARY KEY (enrolment_id, lesson_id, media_id))""",
        """CREATE TABLE IF NOT EXISTS class_assignments (
            assignment_id uuid PRIMARY KEY, class_id uuid NOT NULL, course_id uuid NOT NULL,
            assigned_by uuid NOT NULL, due_at timestamptz, assigned_at timestamptz NOT NULL)""",
    ],
)


def _keep_assignment(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute(
        "INSERT INTO assignments (enrolment_id, source_id, assigned_by, class_id, due_at, assigned_at)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (enrolment_id, source_id) DO UPDATE SET"
        " assigned_by = EXCLUDED.assigned_by, due_at = EXCLUDED.due_at",
        (e.originator_id, source_of(e.assigned_by, e.class_id), e.assigned_by, e.class_id, e.due_at, e.timestamp),
    )


@enrolment.on
def enrolled(cur: psycopg.Cursor, e: Enrolment.Enrolled) -> None:
    # An assignment is the teacher's doing: the student's last activity stays empty.
    activity = None if e.assigned_by else e.timestamp
    cur.execute(
        "INSERT INTO enrolments (enrolment_id, student_id, course_id, active, assigned_by, class_id, due_at,"
        " enrolled_at, last_activity_at) VALUES (%s, %s, %s, true, %s, %s, %s, %s, %s)"
        " ON CONFLICT (enrolment_id) DO NOTHING",
        (e.originator_id, e.student_id, e.course_id, e.assigned_by, e.class_id, e.due_at, e.timestamp, activity),
    )
    if e.assigned_by:
        _keep_assignment(cur, e)


@enrolment.on
def rejoined(cur: psycopg.Cursor, e: Enrolment.Rejoined) -> None:
    cur.execute(
        "UPDATE enrolments SET active = true, left_at = NULL, enrolled_at = %s, last_activity_at = %s"
        " WHERE enrolment_id = %s",
        (e.timestamp, e.timestamp, e.originator_id),
    )


@enrolment.on
def assigned(cur: psycopg.Cursor, e: Enrolment.Assigned) -> None:
    """The columns of enrolments follow the first assignment (or the same source again); others
    are kept beside it in assignments."""
    cur.execute(
        "UPDATE enrolments SET active = true, left_at = NULL,"
        " enrolled_at = CASE WHEN active THEN enrolled_at ELSE %s END WHERE enrolment_id = %s",
        (e.timestamp, e.originator_id),
    )
    cur.execute(
        "UPDATE enrolments SET assigned_by = %s, class_id = %s, due_at = %s WHERE enrolment_id = %s"
        " AND (assigned_by IS NULL OR coalesce(class_id, assigned_by) = %s)",
        (e.assigned_by, e.class_id, e.due_at, e.originator_id, source_of(e.assigned_by, e.class_id)),
    )
    _keep_assignment(cur, e)


@enrolment.on
def left(cur: psycopg.Cursor, e: Enrolment.Left) -> None:
    cur.execute(
        "UPDATE enrolments SET active = false, left_at = %s, last_activity_at = %s,"
        " assigned_by = NULL, class_id = NULL, due_at = NULL WHERE enrolment_id = %s",
        (e.timestamp, e.timestamp, e.originator_id),
    )
    cur.execute("DELETE FROM assignments WHERE enrolment_id = %s", (e.originator_id,))


@enrolment.on
def lesson_completed(cur: psycopg.Cursor, e: Enrolment.LessonCompleted) -> None:
    cur.execute(
        "INSERT INTO completions (enrolment_id, lesson_id, completed_at) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (e.originator_id, e.lesson_id, e.timestamp),
    )
    cur.execute(
        "UPDATE enrolments SET last_activity_at = %s WHERE enrolment_id = %s", (e.timestamp, e.originator_id)
    )


@enrolment.on
def course_completed(cur: psycopg.Cursor, e: Enrolment.CourseCompleted) -> None:
    cur.execute("UPDATE enrolments SET completed_at = %s WHERE enrolment_id = %s", (e.timestamp, e.originator_id))


@enrolment.on
def video_watched(cur: psycopg.Cursor, e: Enrolment.VideoWatched) -> None:
    cur.execute(
        "INSERT INTO video_progress (enrolment_id, lesson_id, media_id, position_seconds, duration_seconds,"
        " watched_share, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (enrolment_id, lesson_id, media_id)"
        " DO UPDATE SET position_seconds = EXCLUDED.position_seconds, duration_seconds = EXCLUDED.duration_seconds,"
        " watched_share = EXCLUDED.watched_share, updated_at = EXCLUDED.updated_at",
        (e.originator_id, e.lesson_id, e.media_id, e.position_seconds, e.duration_seconds, e.watched_share, e.timestamp),
    )
    cur.execute(
        "UPDATE enrolments SET last_activity_at = %s WHERE enrolment_id = %s", (e.timestamp, e.originator_id)
    )


@enrolment.on
def class_assigned(cur: psycopg.Cursor, e: ClassAssignment.Made | ClassAssignment.Changed) -> None:
    if isinstance(e, ClassAssignment.Made):
        cur.execute(
            "INSERT INTO class_assignments (assignment_id, class_id, course_id, assigned_by, due_at, assigned_at)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (assignment_id) DO NOTHING",
            (e.originator_id, e.class_id, e.course_id, e.assigned_by, e.due_at, e.timestamp),
        )
    else:
        cur.execute("UPDATE class_assignments SET assigned_by = %s, due_at = %s WHERE assignment_id = %s",
                    (e.assigned_by, e.due_at, e.originator_id))


@enrolment.on
def course_published(cur: psycopg.Cursor, e: Course.Published) -> None:
    """Progress counts the lessons of the revision on show now."""
    cur.execute("DELETE FROM course_lessons WHERE course_id = %s", (e.originator_id,))
    cur.executemany(
        "INSERT INTO course_lessons (course_id, lesson_id) VALUES (%s, %s)",
        [(e.originator_id, lesson_id) for lesson_id in e.lesson_ids],
    )


@enrolment.on
def person_erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    """A person's learning record goes with them."""
    for table in ("completions", "assignments", "video_progress"):
        cur.execute(
            f"DELETE FROM {table} WHERE enrolment_id IN (SELECT enrolment_id FROM enrolments WHERE student_id = %s)",
            (e.originator_id,),
        )
    cur.execute("DELETE FROM enrolments WHERE student_id = %s", (e.originator_id,))
