"""Reads of the learner worker's tables: a student's mastery per skill (with its interval, the
model version and the log position behind it), their open attempts, questions of a skill at a
given level, the answers behind an estimate, and the suggestions they were shown."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

MASTERY_COLUMNS = ("skill, probability, low, high, answers, right_answers, last_practised, model_version, position")


def mastery(pool: ConnectionPool, student_id: UUID) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute(f"SELECT {MASTERY_COLUMNS} FROM learner.mastery WHERE student_id = %s ORDER BY skill",
                            (student_id,)).fetchall()


def model_position(pool: ConnectionPool) -> dict[str, Any]:
    with pool.connection() as conn:
        row = conn.execute("SELECT model_version, position FROM learner.checkpoint").fetchone()
    return row or {"model_version": None, "position": 0}


def open_attempts(pool: ConnectionPool, student_id: UUID) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute("SELECT attempt_id, quiz_id, started_at, position FROM learner.open_attempts"
                            " WHERE student_id = %s ORDER BY started_at DESC LIMIT 3", (student_id,)).fetchall()


def practice_questions(pool: ConnectionPool, student_id: UUID, skill: str, level: float,
                       count: int) -> list[dict[str, Any]]:
    """Questions of the skill whose observed success rate is closest to the student's chance on
    it, leaving out those the student already answered right."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT i.question_id, (i.right_answers + 1.0) / (i.answers + 2.0) AS success_rate, i.answers"
            " FROM learner.items i WHERE %s = ANY(i.skills) AND NOT EXISTS (SELECT 1 FROM learner.answers a"
            "  WHERE a.student_id = %s AND a.question_id = i.question_id AND a.correct)"
            " ORDER BY abs((i.right_answers + 1.0) / (i.answers + 2.0) - %s), i.question_id LIMIT %s",
            (skill, student_id, level, count)).fetchall()


def answers_behind(pool: ConnectionPool, student_id: UUID, skill: str, up_to: int) -> list[dict[str, Any]]:
    """The answers on the skill the model had learned at that position: the events behind it."""
    with pool.connection() as conn:
        return conn.execute("SELECT position, question_id, correct, answered_at FROM learner.answers"
                            " WHERE student_id = %s AND %s = ANY(skills) AND position <= %s"
                            " ORDER BY position, question_id", (student_id, skill, up_to)).fetchall()


def record_suggestions(pool: ConnectionPool, rows: list[dict[str, Any]]) -> None:
    with pool.connection() as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO learner.suggestions VALUES (%(suggestion_id)s, %(student_id)s, %(shown_at)s, %(rank)s,"
            " %(kind)s, %(skill)s, %(target)s, %(reason)s, %(evidence)s, %(model_version)s, %(position)s)",
            [{**r, "target": Jsonb(r["target"]), "evidence": Jsonb(r["evidence"])} for r in rows])


def suggestion(pool: ConnectionPool, student_id: UUID, suggestion_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute("SELECT suggestion_id, student_id, shown_at, rank, kind, skill, target, reason, evidence,"
                            " model_version, position FROM learner.suggestions"
                            " WHERE suggestion_id = %s AND student_id = %s", (suggestion_id, student_id)).fetchone()
