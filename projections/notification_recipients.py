"""What the notification rules look up in the projection's own tables (unqualified names):
who is to be told, and the names and numbers their notices show. Each function takes the
projection's cursor and the event; it runs before the event's own state changes are applied."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg

from domain.announcements import AnnouncementKind
from domain.attempts import Attempt
from domain.enrolment import Enrolment
from domain.quizzes import Audience, FeedbackMode
from domain.scoring import totals
from projections import notification_timed as timed


def when(value: datetime | None) -> str | None:
    return None if value is None else f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _column(cur: psycopg.Cursor) -> list[UUID]:
    return [r["id"] for r in cur.fetchall()]


def the_person(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    return [event.originator_id]


def the_student(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    return [event.student_id]


def the_applicant(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    cur.execute("SELECT user_id FROM applications WHERE application_id = %s", (event.originator_id,))
    row = cur.fetchone()
    return [row["user_id"]] if row else []


# --- courses ---------------------------------------------------------------------------------

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
    return _column(cur)


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
        return [event.student_id] if event.assigned_by is not None else []
    cur.execute("SELECT student_id AS id FROM enrolments WHERE enrolment_id = %s", (event.originator_id,))
    return _column(cur)


def assignment(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    # Enrolled names the course; Assigned follows an enrolment already known.
    cur.execute("SELECT course_id, coalesce(title, draft_title) AS title FROM courses WHERE course_id ="
                " coalesce(%s, (SELECT course_id FROM enrolments WHERE enrolment_id = %s))",
                (getattr(event, "course_id", None), event.originator_id))
    course = cur.fetchone()
    return {"course_id": str(course["course_id"]), "course_title": course["title"], "due_at": when(event.due_at)}


# --- classes ---------------------------------------------------------------------------------

def _class_students(cur: psycopg.Cursor, class_id: UUID) -> list[UUID]:
    cur.execute("SELECT student_id AS id FROM class_students WHERE class_id = %s ORDER BY 1", (class_id,))
    return _column(cur)


def students_of_published_lesson(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """Published for now and never told before; one published for later is told by its announcement."""
    if event.publish_at > event.timestamp or timed.is_done(cur, AnnouncementKind.LESSON_PUBLISHED, event.originator_id):
        return []
    cur.execute("SELECT class_id FROM lessons WHERE lesson_id = %s", (event.originator_id,))
    return _class_students(cur, cur.fetchone()["class_id"])


def students_of_announced_lesson(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    if timed.is_done(cur, AnnouncementKind.LESSON_PUBLISHED, event.lesson_id):
        return []
    return _class_students(cur, event.class_id)


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


# --- quizzes ---------------------------------------------------------------------------------

def quiz_audience(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """The class's current students, or the course's active enrolments."""
    cur.execute(
        "SELECT s.student_id AS id FROM quizzes q JOIN class_students s ON s.class_id = q.audience_id"
        " WHERE q.quiz_id = %(q)s AND q.audience = %(class)s UNION SELECT e.student_id FROM quizzes q"
        " JOIN enrolments e ON e.course_id = q.audience_id AND e.active WHERE q.quiz_id = %(q)s"
        " AND q.audience = %(course)s ORDER BY 1",
        {"q": event.quiz_id, "class": Audience.CLASS.value, "course": Audience.COURSE.value},
    )
    return _column(cur)


def quiz(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    cur.execute("SELECT title FROM quiz_versions WHERE quiz_id = %s ORDER BY version DESC LIMIT 1", (event.quiz_id,))
    return {"quiz_id": str(event.quiz_id), "quiz_title": cur.fetchone()["title"],
            "opens_at": when(getattr(event, "opens_at", None))}


def students_with_results(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """Everyone who submitted an attempt on a version that shows results at this close."""
    cur.execute(
        "SELECT DISTINCT a.student_id AS id FROM attempts a JOIN quiz_versions v"
        " ON v.quiz_id = a.quiz_id AND v.version = a.quiz_version WHERE a.quiz_id = %s AND a.submitted"
        " AND v.feedback_mode = %s AND v.closes_at = %s ORDER BY 1",
        (event.quiz_id, FeedbackMode.AFTER_CLOSE.value, event.closed_at),
    )
    return _column(cur)


def _attempt(cur: psycopg.Cursor, attempt_id: UUID) -> dict[str, Any]:
    cur.execute("SELECT a.quiz_id, a.student_id, a.grades, v.title, v.feedback_mode, v.closes_at FROM attempts a"
                " JOIN quiz_versions v ON v.quiz_id = a.quiz_id AND v.version = a.quiz_version"
                " WHERE a.attempt_id = %s", (attempt_id,))
    return cur.fetchone()


def student_once_released(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """The student, when they may see the score (domain.quizzes.feedback_released): at once, or
    for quizzes that show results after the close, once their release was announced."""
    a = _attempt(cur, event.originator_id)
    if a["feedback_mode"] == FeedbackMode.AFTER_CLOSE and not timed.is_done(
            cur, AnnouncementKind.QUIZ_RESULTS, a["quiz_id"], a["closes_at"]):
        return []  # the release tells them
    return [a["student_id"]]


_HOW = {Attempt.Submitted: "was submitted at its deadline", Attempt.Regraded: "was re-graded after a correction",
        Attempt.EssayGraded: "has an essay graded by your teacher"}


def attempt_score(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    a = _attempt(cur, event.originator_id)
    grades = event.grades if isinstance(event, Attempt.Submitted) else {**a["grades"], event.question_id: event.grade}
    context = {"attempt_id": str(event.originator_id), "quiz_id": str(a["quiz_id"]), "quiz_title": a["title"],
               "how": _HOW[type(event)], **totals(grades)}
    if isinstance(event, Attempt.EssayGraded):
        context.update(points=event.grade["points"], max=event.grade["max"])
    return context
