"""The course recommender's read model: what it learns from the log, one event at a time.

Kept per course: its published title, categories and prerequisites, and how many students
enrolled, completed it and passed one of its quizzes; per pair of courses the follow-on weight
(ranking.py); per student the courses they took, in order, and the categories they follow.
The model is this read model: it is rebuilt from the log like any other, applied in the same
transaction as its tracking position, and its position is the one a recommendation cites.
"""

from __future__ import annotations

from typing import Any

import orjson
import psycopg
from psycopg.types.json import Jsonb

from domain.attempts import Attempt
from domain.catalog import Course
from domain.category_follows import CategoryFollow
from domain.enrolment import Enrolment
from domain.identity import User
from domain.quizzes import Audience, Quiz
from projections.engine.engine import Projection
from projections.recommendations.ranking import pair_weights

recommendations = Projection(
    name="recommendations",
    tables=[
        """CREATE TABLE IF NOT EXISTS courses (
            course_id uuid PRIMARY KEY, status text NOT NULL, draft jsonb NOT NULL,
            title text, category_ids uuid[] NOT NULL DEFAULT '{}', prerequisites uuid[] NOT NULL DEFAULT '{}',
            enrolled int NOT NULL DEFAULT 0, completed int NOT NULL DEFAULT 0, passed int NOT NULL DEFAULT 0,
            out_weight double precision NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS courses_published ON courses (course_id) WHERE status = 'published'",
        """CREATE TABLE IF NOT EXISTS follow_on (
            from_course uuid NOT NULL, to_course uuid NOT NULL, weight double precision NOT NULL,
            PRIMARY KEY (from_course, to_course))""",
        "CREATE INDEX IF NOT EXISTS follow_on_strongest ON follow_on (from_course, weight DESC)",
        """CREATE TABLE IF NOT EXISTS enrolments (
            enrolment_id uuid PRIMARY KEY, student_id uuid NOT NULL, course_id uuid NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS taken (
            student_id uuid NOT NULL, course_id uuid NOT NULL, seq int NOT NULL,
            completed boolean NOT NULL DEFAULT false, passed boolean NOT NULL DEFAULT false,
            PRIMARY KEY (student_id, course_id))""",
        "CREATE TABLE IF NOT EXISTS follows (user_id uuid NOT NULL, category_id uuid NOT NULL, PRIMARY KEY (user_id, category_id))",
        "CREATE TABLE IF NOT EXISTS course_quizzes (quiz_id uuid PRIMARY KEY, course_id uuid NOT NULL)",
        "CREATE TABLE IF NOT EXISTS attempts (attempt_id uuid PRIMARY KEY, course_id uuid NOT NULL, student_id uuid NOT NULL)",
    ],
)


def _json(value: Any) -> Jsonb:
    return Jsonb(value, dumps=lambda v: orjson.dumps(v, default=str).decode())


def _details(e: Any) -> dict[str, Any]:
    return {"title": e.title, "category_ids": e.category_ids, "prerequisites": e.prerequisites}


@recommendations.on
def course_created(cur: psycopg.Cursor, e: Course.Created) -> None:
    cur.execute("INSERT INTO courses (course_id, status, draft) VALUES (%s, 'draft', %s) ON CONFLICT DO NOTHING",
                (e.originator_id, _json(_details(e))))


@recommendations.on
def details_edited(cur: psycopg.Cursor, e: Course.DetailsEdited) -> None:
    cur.execute("UPDATE courses SET draft = %s WHERE course_id = %s", (_json(_details(e)), e.originator_id))


@recommendations.on
def published(cur: psycopg.Cursor, e: Course.Published) -> None:
    """The draft's details become the public ones (edits of a published course start from them)."""
    cur.execute(
        "UPDATE courses SET status = 'published', title = draft->>'title',"
        " category_ids = ARRAY(SELECT jsonb_array_elements_text(draft->'category_ids'))::uuid[],"
        " prerequisites = ARRAY(SELECT jsonb_array_elements_text(draft->'prerequisites'))::uuid[]"
        " WHERE course_id = %s", (e.originator_id,))


@recommendations.on
def archived(cur: psycopg.Cursor, e: Course.Archived) -> None:
    cur.execute("UPDATE courses SET status = 'archived' WHERE course_id = %s", (e.originator_id,))


@recommendations.on
def enrolled(cur: psycopg.Cursor, e: Enrolment.Enrolled) -> None:
    """A course a student starts: paired with their earlier ones, counted once per student."""
    cur.execute("INSERT INTO enrolments VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (e.originator_id, e.student_id, e.course_id))
    earlier = [r["course_id"] for r in cur.execute(
        "SELECT course_id FROM taken WHERE student_id = %s ORDER BY seq", (e.student_id,)).fetchall()]
    if e.course_id in earlier:
        return
    for course_id, weight in pair_weights(earlier):
        cur.execute("INSERT INTO follow_on VALUES (%s, %s, %s) ON CONFLICT (from_course, to_course)"
                    " DO UPDATE SET weight = follow_on.weight + excluded.weight", (course_id, e.course_id, weight))
        cur.execute("UPDATE courses SET out_weight = out_weight + %s WHERE course_id = %s", (weight, course_id))
    cur.execute("INSERT INTO taken (student_id, course_id, seq) VALUES (%s, %s, %s)",
                (e.student_id, e.course_id, len(earlier)))
    cur.execute("UPDATE courses SET enrolled = enrolled + 1 WHERE course_id = %s", (e.course_id,))


@recommendations.on
def course_completed(cur: psycopg.Cursor, e: Enrolment.CourseCompleted) -> None:
    cur.execute(
        "WITH done AS (UPDATE taken t SET completed = true FROM enrolments n WHERE n.enrolment_id = %s"
        " AND t.student_id = n.student_id AND t.course_id = n.course_id AND NOT t.completed RETURNING t.course_id)"
        " UPDATE courses SET completed = completed + 1 WHERE course_id IN (SELECT course_id FROM done)",
        (e.originator_id,))


@recommendations.on
def quiz_created(cur: psycopg.Cursor, e: Quiz.Created) -> None:
    if e.audience == Audience.COURSE:
        cur.execute("INSERT INTO course_quizzes VALUES (%s, %s) ON CONFLICT DO NOTHING", (e.originator_id, e.audience_id))


@recommendations.on
def attempt_started(cur: psycopg.Cursor, e: Attempt.Started) -> None:
    cur.execute("INSERT INTO attempts SELECT %s, course_id, %s FROM course_quizzes WHERE quiz_id = %s"
                " ON CONFLICT DO NOTHING", (e.originator_id, e.student_id, e.quiz_id))


@recommendations.on
def attempt_submitted(cur: psycopg.Cursor, e: Attempt.Submitted) -> None:
    """Quiz success: at least half the points of a course quiz, counted once per student and course."""
    earned = sum(g.get("points", 0) or 0 for g in e.grades.values())
    possible = sum(g.get("max", 0) or 0 for g in e.grades.values())
    if not possible or earned * 2 < possible:
        return
    cur.execute(
        "WITH won AS (UPDATE taken t SET passed = true FROM attempts a WHERE a.attempt_id = %s"
        " AND t.student_id = a.student_id AND t.course_id = a.course_id AND NOT t.passed RETURNING t.course_id)"
        " UPDATE courses SET passed = passed + 1 WHERE course_id IN (SELECT course_id FROM won)",
        (e.originator_id,))


@recommendations.on
def followed(cur: psycopg.Cursor, e: CategoryFollow.Followed) -> None:
    cur.execute("INSERT INTO follows VALUES (%s, %s) ON CONFLICT DO NOTHING", (e.user_id, e.category_id))


@recommendations.on
def unfollowed(cur: psycopg.Cursor, e: CategoryFollow.Unfollowed) -> None:
    cur.execute("DELETE FROM follows WHERE user_id = %s AND category_id = %s", (e.user_id, e.category_id))


@recommendations.on
def person_erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    """Who took what goes, and what they were shown (recommendations_served); the anonymous
    counts and follow-on weights stay."""
    for table, column in (("taken", "student_id"), ("enrolments", "student_id"), ("follows", "user_id"),
                          ("attempts", "student_id")):
        cur.execute(f"DELETE FROM {table} WHERE {column} = %s", (e.originator_id,))  # noqa: S608 - fixed names
    cur.execute("DELETE FROM public.recommendations_served WHERE student_id = %s", (e.originator_id,))
