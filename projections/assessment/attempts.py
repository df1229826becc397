"""Attempts read model: every attempt with its status, deadline and totals, its saved answers
and their grades. Answers typed by a student are personal: erasing the student blanks them
(and graders' comments), while scores stay for the quiz's statistics."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from domain.attempts import Attempt
from domain.event_conventions import ERASED
from domain.identity import User
from projections.engine.engine import Projection

attempts = Projection(
    name="attempts",
    tables=[
        """CREATE TABLE IF NOT EXISTS attempts (
            attempt_id uuid PRIMARY KEY, quiz_id uuid NOT NULL, quiz_version int NOT NULL,
            student_id uuid NOT NULL, number int NOT NULL, layout jsonb NOT NULL, feedback_mode text NOT NULL,
            started_at timestamptz NOT NULL, deadline timestamptz, submitted_at timestamptz, submit_reason text,
            score double precision, max_score double precision, percent double precision,
            pending int NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS attempts_quiz ON attempts (quiz_id, student_id, number)",
        "CREATE INDEX IF NOT EXISTS attempts_student ON attempts (student_id, started_at)",
        "CREATE INDEX IF NOT EXISTS attempts_open ON attempts (deadline) WHERE submitted_at IS NULL",
        """CREATE TABLE IF NOT EXISTS answers (
            attempt_id uuid NOT NULL, question_id text NOT NULL, answer jsonb, personal boolean NOT NULL,
            saved_at timestamptz NOT NULL, PRIMARY KEY (attempt_id, question_id))""",
        """CREATE TABLE IF NOT EXISTS grades (
            attempt_id uuid NOT NULL, question_id text NOT NULL, fraction double precision NOT NULL,
            points double precision NOT NULL, max double precision NOT NULL, state text NOT NULL,
            levels jsonb, comment text, graded_by uuid, graded_at timestamptz NOT NULL,
            PRIMARY KEY (attempt_id, question_id))""",
        "CREATE INDEX IF NOT EXISTS grades_pending ON grades (state) WHERE state = 'pending'",
    ],
)


@attempts.on
def started(cur: psycopg.Cursor, e: Attempt.Started) -> None:
    cur.execute(
        "INSERT INTO attempts (attempt_id, quiz_id, quiz_version, student_id, number, layout, feedback_mode,"
        " started_at, deadline) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (attempt_id) DO NOTHING",
        (e.originator_id, e.quiz_id, e.quiz_version, e.student_id, e.number, Jsonb(e.questions), e.feedback_mode,
         e.started_at, e.deadline),
    )


@attempts.on
def answer_saved(cur: psycopg.Cursor, e: Attempt.AnswerSaved | Attempt.TextAnswerSaved) -> None:
    answer = e.answer if isinstance(e.answer, dict) else None  # ERASED keeps no text
    cur.execute(
        "INSERT INTO answers (attempt_id, question_id, answer, personal, saved_at) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (attempt_id, question_id) DO UPDATE SET answer = EXCLUDED.answer, saved_at = EXCLUDED.saved_at",
        (e.originator_id, e.question_id, Jsonb(answer) if answer else None,
         isinstance(e, Attempt.TextAnswerSaved), e.saved_at),
    )


_UPSERT_GRADE = (
    "INSERT INTO grades (attempt_id, question_id, fraction, points, max, state, levels, comment, graded_by,"
    " graded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (attempt_id, question_id) DO UPDATE"
    " SET fraction = EXCLUDED.fraction, points = EXCLUDED.points, max = EXCLUDED.max, state = EXCLUDED.state,"
    " levels = EXCLUDED.levels, comment = EXCLUDED.comment, graded_by = EXCLUDED.graded_by,"
    " graded_at = EXCLUDED.graded_at"
)


def _row(e: Any, question_id: str, g: dict[str, Any], by_person: bool, levels: Any = None, comment: Any = None) -> tuple[Any, ...]:
    """Automated grades have no grader; essays and corrections name the person."""
    return (e.originator_id, question_id, g["fraction"], g["points"], g["max"], g["state"],
            Jsonb(levels) if levels else None, comment, e.actor_id if by_person else None, e.timestamp)


def _totals(cur: psycopg.Cursor, attempt_id: Any) -> None:
    """Same rule as domain.scoring.totals: the score never goes below 0."""
    cur.execute(
        "UPDATE attempts a SET score = t.score, max_score = t.max_score,"
        " percent = CASE WHEN t.max_score > 0 THEN round((100 * t.score / t.max_score)::numeric, 4)::float ELSE 0 END,"
        " pending = t.pending"
        " FROM (SELECT greatest(0, sum(points)) AS score, sum(max) AS max_score,"
        "  count(*) FILTER (WHERE state = 'pending') AS pending FROM grades WHERE attempt_id = %s) t"
        " WHERE a.attempt_id = %s",
        (attempt_id, attempt_id),
    )


@attempts.on
def submitted(cur: psycopg.Cursor, e: Attempt.Submitted) -> None:
    cur.execute("UPDATE attempts SET submitted_at = %s, submit_reason = %s WHERE attempt_id = %s",
                (e.submitted_at, e.reason, e.originator_id))
    cur.executemany(_UPSERT_GRADE, [_row(e, q, g, by_person=False) for q, g in e.grades.items()])
    _totals(cur, e.originator_id)


@attempts.on
def essay_graded(cur: psycopg.Cursor, e: Attempt.EssayGraded) -> None:
    comment = None if e.comment == ERASED else e.comment
    cur.execute(_UPSERT_GRADE, _row(e, e.question_id, e.grade, True, e.levels, comment))
    _totals(cur, e.originator_id)


@attempts.on
def regraded(cur: psycopg.Cursor, e: Attempt.Regraded) -> None:
    cur.execute(_UPSERT_GRADE, _row(e, e.question_id, e.grade, by_person=True))
    _totals(cur, e.originator_id)


@attempts.on
def erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    mine = "SELECT attempt_id FROM attempts WHERE student_id = %s"
    cur.execute(f"UPDATE answers SET answer = NULL WHERE personal AND attempt_id IN ({mine})", (e.originator_id,))
    cur.execute(f"UPDATE grades SET comment = NULL WHERE attempt_id IN ({mine})", (e.originator_id,))
