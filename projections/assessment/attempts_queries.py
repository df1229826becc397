"""Queries on the attempts read model (schema-qualified): attempts, their answers and grades,
a student's and a quiz's lists of attempts, open attempts for the deadline worker, and the
essay grading queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page

_ATTEMPT = ("a.attempt_id, a.quiz_id, a.quiz_version, a.student_id, a.number, a.started_at, a.deadline,"
            " a.submitted_at, a.submit_reason, a.score, a.max_score, a.percent, a.pending")


def attempt(pool: ConnectionPool, attempt_id: UUID) -> dict[str, Any] | None:
    """The attempt with its layout, answers and grades (keyed by question id)."""
    with pool.connection() as conn:
        row = conn.execute(
            f"SELECT {_ATTEMPT}, a.layout, a.feedback_mode FROM view_attempts.attempts a WHERE attempt_id = %s",
            (attempt_id,),
        ).fetchone()
        if row is None:
            return None
        answers = conn.execute(
            "SELECT question_id, answer, saved_at FROM view_attempts.answers WHERE attempt_id = %s", (attempt_id,)
        ).fetchall()
        grades = conn.execute(
            "SELECT question_id, fraction, points, max, state, levels, comment, graded_by, graded_at"
            " FROM view_attempts.grades WHERE attempt_id = %s",
            (attempt_id,),
        ).fetchall()
    row["answers"] = {a["question_id"]: a for a in answers}
    row["grades"] = {g["question_id"]: g for g in grades}
    return row


def attempts_of(
    pool: ConnectionPool, student_id: UUID, *, quiz_id: UUID | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    """A student's attempts, newest first, with their version's settings and the quiz's latest
    close (which decide whether the student may see the score yet: projections/assessment/attempt_review.py)."""
    where, params = ["a.student_id = %s"], [student_id]
    if quiz_id:
        where.append("a.quiz_id = %s")
        params.append(quiz_id)
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    if after:
        where.append("(a.started_at, a.attempt_id) < (%s::timestamptz, %s::uuid)")
        params += after
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT {_ATTEMPT}, q.title AS quiz_title, v.snapshot->'settings' AS settings,"
            " (SELECT max((w.snapshot->'settings'->>'closes_at')::timestamptz) FROM view_quizzes.versions w"
            "  WHERE w.quiz_id = a.quiz_id) AS quiz_closes_at"
            " FROM view_attempts.attempts a LEFT JOIN view_quizzes.quizzes q USING (quiz_id)"
            " LEFT JOIN view_quizzes.versions v ON v.quiz_id = a.quiz_id AND v.version = a.quiz_version"
            f" WHERE {' AND '.join(where)} ORDER BY a.started_at DESC, a.attempt_id DESC LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "started_at", "attempt_id")


def quiz_attempts(
    pool: ConnectionPool, quiz_id: UUID, *, student_id: UUID | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    """A quiz's attempts student by student (by id), each student's in order, with the name and
    the pass mark of the version each was taken on; or one student's."""
    where, params = ["a.quiz_id = %s"], [quiz_id]
    if student_id:
        where.append("a.student_id = %s")
        params.append(student_id)
    after = decode_cursor(cursor, Kind.ID, Kind.WHOLE)
    if after:
        where.append("(a.student_id, a.number) > (%s::uuid, %s::int)")
        params += after
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT {_ATTEMPT}, u.display_name, (v.snapshot->'settings'->>'pass_mark')::float AS pass_mark"
            " FROM view_attempts.attempts a LEFT JOIN view_identity.users u ON u.user_id = a.student_id"
            " LEFT JOIN view_quizzes.versions v ON v.quiz_id = a.quiz_id AND v.version = a.quiz_version"
            f" WHERE {' AND '.join(where)} ORDER BY a.student_id, a.number LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "student_id", "number")


def attempts_made(pool: ConnectionPool, quiz_id: UUID, student_id: UUID) -> tuple[int, list[UUID]]:
    """How many attempts a student started at a quiz, and the ones still open."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT attempt_id, submitted_at FROM view_attempts.attempts WHERE quiz_id = %s AND student_id = %s",
            (quiz_id, student_id),
        ).fetchall()
    return len(rows), [r["attempt_id"] for r in rows if r["submitted_at"] is None]


def attempt_ids_of_version(pool: ConnectionPool, quiz_id: UUID, version: int) -> list[UUID]:
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT attempt_id FROM view_attempts.attempts WHERE quiz_id = %s AND quiz_version = %s"
            " ORDER BY started_at, attempt_id",
            (quiz_id, version),
        ).fetchall()
    return [r["attempt_id"] for r in rows]


def open_deadlines(pool: ConnectionPool) -> list[tuple[UUID, datetime]]:
    """Attempts not yet submitted that have a deadline, soonest first."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT attempt_id, deadline FROM view_attempts.attempts"
            " WHERE submitted_at IS NULL AND deadline IS NOT NULL ORDER BY deadline"
        ).fetchall()
    return [(r["attempt_id"], r["deadline"]) for r in rows]


def grading_queue(pool: ConnectionPool, quiz_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """Essays waiting for a person, oldest submission first, with the student's text."""
    where, params = ["a.quiz_id = %s", "g.state = 'pending'"], [quiz_id]
    after = decode_cursor(cursor, Kind.TIME, Kind.ID, Kind.TEXT)
    if after:
        where.append("(a.submitted_at, a.attempt_id, g.question_id) > (%s::timestamptz, %s::uuid, %s)")
        params += after
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT a.attempt_id, a.quiz_version, a.student_id, u.display_name, a.submitted_at, g.question_id,"
            " g.max AS points, s.answer FROM view_attempts.grades g"
            " JOIN view_attempts.attempts a USING (attempt_id)"
            " LEFT JOIN view_attempts.answers s ON s.attempt_id = g.attempt_id AND s.question_id = g.question_id"
            " LEFT JOIN view_identity.users u ON u.user_id = a.student_id"
            f" WHERE {' AND '.join(where)} ORDER BY a.submitted_at, a.attempt_id, g.question_id LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "submitted_at", "attempt_id", "question_id")


def display_names(pool: ConnectionPool, user_ids: list[UUID]) -> dict[UUID, str]:
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT user_id, display_name FROM view_identity.users WHERE user_id = ANY(%s)", (user_ids,)
        ).fetchall()
    return {r["user_id"]: r["display_name"] for r in rows}
