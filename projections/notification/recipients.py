"""What the notification rules look up in the projection's own tables (unqualified names):
who is to be told, and the names and numbers their notices show. Each function takes the
projection's cursor and the event; it runs before the event's own state changes are applied.
Those about quizzes and attempts are in notification_quizzes.py, next to their tables.

Recipients are nobody when a row they need is missing (the projection was upgraded without a
rebuild and never saw the class or quiz): a decision missed is better than a projection stuck
on an event. Context functions run only when there are recipients, so their rows exist."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg

from domain.announcements import AnnouncementKind
from domain.enrolment import Enrolment
from projections.notification import timed


def when(value: datetime | None) -> str | None:
    return None if value is None else f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def ids(cur: psycopg.Cursor) -> list[UUID]:
    """The `id` column of the rows just selected."""
    return [r["id"] for r in cur.fetchall()]


def the_person(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    return [event.originator_id]


def the_student(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    return [event.student_id]


def the_applicant(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    cur.execute("SELECT user_id FROM applications WHERE application_id = %s", (event.originator_id,))
    row = cur.fetchone()
    return [row["user_id"]] if row else []


# Courses

def followers_of_new_course(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """On a course's first publication only: followers of its categories or of any category
    above them. Its owner is not told of their own course."""
    cur.execute("SELECT owner_id, draft_category_ids FROM courses WHERE course_id = %s AND NOT published",
                (event.originator_id,))
    course = cur.fetchone()
    if course is None:
        return []
    cur.execute(
        "WITH RECURSIVE above AS (SELECT category_id, parent_id FROM categories WHERE category_id = ANY(%s)"
        " UNION SELECT c.category_id, c.parent_id FROM categories c JOIN above a ON c.category_id = a.parent_id)"
        " SELECT DISTINCT f.user_id AS id FROM follows f JOIN above USING (category_id)"
        " WHERE f.user_id <> %s ORDER BY 1",
        (course["draft_category_ids"], course["owner_id"]),
    )
    return ids(cur)


def new_course(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    cur.execute(
        "SELECT c.draft_title, coalesce(string_agg(k.name, ', ' ORDER BY k.name), '') AS names FROM courses c"
        " LEFT JOIN categories k ON k.category_id = ANY(c.draft_category_ids) WHERE c.course_id = %s"
        " GROUP BY c.draft_title", (event.originator_id,))
    row = cur.fetchone()
    return {"course_id": str(event.originator_id), "course_title": row["draft_title"], "categories": row["names"]}


def assigned_student(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """Enrolled by a teacher (not by the student), or assigned (again) later."""
    if isinstance(event, Enrolment.Enrolled):
        cur.execute("SELECT 1 FROM courses WHERE course_id = %s", (event.course_id,))
        return [event.student_id] if event.assigned_by is not None and cur.fetchone() else []
    cur.execute("SELECT e.student_id AS id FROM enrolments e JOIN courses USING (course_id)"
                " WHERE e.enrolment_id = %s", (event.originator_id,))
    return ids(cur)


def assignment(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    # Enrolled names the course; Assigned follows an enrolment already known.
    cur.execute("SELECT course_id, coalesce(title, draft_title) AS title FROM courses WHERE course_id ="
                " coalesce(%s, (SELECT course_id FROM enrolments WHERE enrolment_id = %s))",
                (getattr(event, "course_id", None), event.originator_id))
    course = cur.fetchone()
    return {"course_id": str(course["course_id"]), "course_title": course["title"], "due_at": when(event.due_at)}


# Classes

def students_of_published_lesson(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """Published for now and never told before; one published for later is told by its announcement."""
    if event.publish_at > event.timestamp or timed.is_done(cur, AnnouncementKind.LESSON_PUBLISHED, event.originator_id):
        return []
    return _lesson_students(cur, event.originator_id)


def students_of_announced_lesson(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    if timed.is_done(cur, AnnouncementKind.LESSON_PUBLISHED, event.lesson_id):
        return []
    return _lesson_students(cur, event.lesson_id)


def _lesson_students(cur: psycopg.Cursor, lesson_id: UUID) -> list[UUID]:
    cur.execute("SELECT s.student_id AS id FROM lessons l JOIN classes c USING (class_id)"
                " JOIN class_students s USING (class_id) WHERE l.lesson_id = %s ORDER BY 1", (lesson_id,))
    return ids(cur)


def lesson_id_of(event: Any) -> UUID:
    return getattr(event, "lesson_id", event.originator_id)


def lesson(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    cur.execute("SELECT l.lesson_id, l.class_id, l.title, c.name FROM lessons l JOIN classes c USING (class_id)"
                " WHERE l.lesson_id = %s", (lesson_id_of(event),))
    row = cur.fetchone()
    return {"lesson_id": str(row["lesson_id"]), "class_id": str(row["class_id"]), "lesson_title": row["title"],
            "class_name": row["name"]}


def lesson_teacher(cur: psycopg.Cursor, event: Any) -> UUID:
    cur.execute("SELECT teacher_id FROM lessons WHERE lesson_id = %s", (lesson_id_of(event),))
    return cur.fetchone()["teacher_id"]
