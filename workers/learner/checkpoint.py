"""Saving what the learner worker learned: the pickled state and its log position in one
transaction with the rows derived from the batch (mastery, answers, item counts, open attempts),
so a restart resumes exactly where the last commit left it."""

from __future__ import annotations

import math
import pickle
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import psycopg
from psycopg_pool import ConnectionPool

from projections.learner.tables import DERIVED
from workers.learner.state import LAYOUT, LearnerState
from workers.learner.tracing import MODEL_VERSION

if TYPE_CHECKING:
    from workers.learner.worker import Batch


class MovedUnderneath(Exception):
    """The checkpoint is not where this worker left it (another worker or a rebuild wrote it)."""


def load(pool: ConnectionPool) -> LearnerState:
    """The saved state, or a fresh one (and empty derived rows) when there is none or it was
    learned by another model version or kept in another layout: the worker then replays the log
    from the start."""
    with pool.connection() as conn, conn.transaction():
        row = conn.execute("SELECT model_version, position, state FROM learner.checkpoint FOR UPDATE").fetchone()
        if row is not None and row["model_version"] == MODEL_VERSION and row["state"] is not None:
            state: LearnerState = pickle.loads(row["state"])
            if getattr(state, "layout", None) == LAYOUT:
                state.position = row["position"]  # moved past events it does not learn from (move_to)
                return state
        reset(conn)
    return LearnerState()


def reset(conn: psycopg.Connection) -> None:
    for table in DERIVED:
        conn.execute(f"TRUNCATE learner.{table}")
    conn.execute("DELETE FROM learner.checkpoint")
    conn.execute("INSERT INTO learner.checkpoint (model_version, position) VALUES (%s, 0)", (MODEL_VERSION,))


def interval(probability: float, answers: int) -> tuple[float, float]:
    """A 95% interval around the estimate that narrows as answers on the skill accumulate (the
    spread of a share observed over answers + 2 pseudo-answers)."""
    spread = 1.96 * math.sqrt(probability * (1 - probability) / (answers + 2))
    return max(0.0, probability - spread), min(1.0, probability + spread)


def save(pool: ConnectionPool, state: LearnerState, previous: int, batch: Batch, with_state: bool = True) -> None:
    """The batch's rows, and with_state the pickled state and its position, in one transaction;
    `previous` is the checkpoint's position as this worker left it. Rows saved without the state
    run ahead of the checkpoint: after a restart the replay from it rewrites them identically."""
    with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        if with_state:
            cur.execute("UPDATE learner.checkpoint SET position = %s, state = %s, saved_at = %s WHERE position = %s"
                        " AND model_version = %s",
                        (state.position, pickle.dumps(state, protocol=5), datetime.now(UTC), previous, MODEL_VERSION))
        else:
            cur.execute("SELECT 1 FROM learner.checkpoint WHERE position = %s AND model_version = %s FOR UPDATE",
                        (previous, MODEL_VERSION))
        if cur.rowcount != 1:
            raise MovedUnderneath()
        _write_answers(cur, state, batch)
        if batch.opened:
            cur.executemany("INSERT INTO learner.open_attempts VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                            [(aid, a.student_id, a.quiz_id, a.started_at, pos) for aid, (a, pos) in batch.opened])
        if batch.closed:
            cur.execute("DELETE FROM learner.open_attempts WHERE attempt_id = ANY(%s)", (batch.closed,))
        if batch.skills:
            cur.executemany("INSERT INTO learner.skills VALUES (%s, %s, %s, %s) ON CONFLICT (name) DO UPDATE"
                            " SET prerequisites = EXCLUDED.prerequisites, lesson_ids = EXCLUDED.lesson_ids,"
                            " position = EXCLUDED.position",
                            [(name, p, lessons, pos) for name, (p, lessons, pos) in batch.skills.items()])


def _write_answers(cur: psycopg.Cursor, state: LearnerState, batch: Batch) -> None:
    if not batch.answers:
        return
    cur.executemany("INSERT INTO learner.answers VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [(a.position, a.question_id, a.student_id, list(a.skills), a.correct, a.at) for a in batch.answers])
    tracer = state.tracer
    items = {a.question_id: a.skills for a in batch.answers}
    cur.executemany("INSERT INTO learner.items VALUES (%s, %s, %s, %s) ON CONFLICT (question_id) DO UPDATE"
                    " SET skills = EXCLUDED.skills, answers = EXCLUDED.answers, right_answers = EXCLUDED.right_answers",
                    [(q, list(s), tracer.items[q].seen, tracer.items[q].right) for q, s in items.items()])
    rows = []
    for (student, skill), (p, a) in batch.estimates.items():
        counts = tracer.skill_counts(student, skill)  # final for the batch: no later answer on it in the batch
        low, high = interval(p, counts.seen)
        rows.append((student, skill, p, low, high, counts.seen, counts.right, a.at, MODEL_VERSION, a.position))
    cur.executemany("INSERT INTO learner.mastery VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (student_id, skill) DO UPDATE SET probability = EXCLUDED.probability,"
                    " low = EXCLUDED.low, high = EXCLUDED.high, answers = EXCLUDED.answers,"
                    " right_answers = EXCLUDED.right_answers, last_practised = EXCLUDED.last_practised,"
                    " model_version = EXCLUDED.model_version, position = EXCLUDED.position", rows)


def move_to(pool: ConnectionPool, previous: int, end: int) -> None:
    """Past a stretch without any event the model learns from, nothing unsaved: the position alone moves."""
    with pool.connection() as conn:
        moved = conn.execute("UPDATE learner.checkpoint SET position = %s WHERE position = %s AND model_version = %s",
                             (end, previous, MODEL_VERSION)).rowcount
    if moved != 1:
        raise MovedUnderneath()


def rebuild(pool: ConnectionPool) -> None:
    """Forget the model and its rows: the active worker notices (its next save finds the position
    moved), starts afresh and replays the whole log."""
    with pool.connection() as conn, conn.transaction():
        reset(conn)
