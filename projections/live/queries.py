"""Live read model queries: sessions to schedule, a person's calendar, the feed after a
position, the examiner's console, a study question's distribution."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.live.feed import ALL, EXAMINERS

_S = "view_live."


def pending_sessions(pool: ConnectionPool) -> list[dict[str, Any]]:
    """Sessions the scheduler still has something to do for."""
    with pool.connection() as conn:
        return conn.execute(f"SELECT session_id, status, starts_at, closes_at, reminded_for FROM {_S}sessions"
                            " WHERE status IN ('scheduled', 'open', 'paused')").fetchall()


def session(pool: ConnectionPool, session_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(f"SELECT * FROM {_S}sessions WHERE session_id = %s", (session_id,)).fetchone()


def calendar(pool: ConnectionPool, person_id: UUID, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Sessions a person examines or attends (chosen, or a student of the class) in a window."""
    with pool.connection() as conn:
        return conn.execute(
            f"SELECT s.session_id, s.kind, s.title, s.class_id, s.quiz_id, s.starts_at, s.ends_at, s.status,"
            f" CASE WHEN %(p)s = ANY(s.examiner_ids) THEN 'examiner' ELSE 'student' END AS role"
            f" FROM {_S}sessions s WHERE s.starts_at < %(end)s AND s.closes_at > %(start)s AND ("
            f" %(p)s = ANY(s.examiner_ids) OR %(p)s = ANY(s.student_ids) OR (s.student_ids IS NULL AND EXISTS ("
            f" SELECT 1 FROM view_classroom.members m WHERE m.class_id = s.class_id AND m.student_id = %(p)s"
            f" AND m.removed_at IS NULL))) ORDER BY s.starts_at, s.session_id LIMIT 500",
            {"p": person_id, "start": start, "end": end}).fetchall()


def feed_after(pool: ConnectionPool, session_id: UUID, viewer: UUID, examiner: bool, after: int,
               upto: int) -> list[dict[str, Any]]:
    """The entries the viewer may see with after < position <= upto, in log order."""
    with pool.connection() as conn:
        return conn.execute(
            f"SELECT position, kind, body FROM {_S}feed WHERE session_id = %s AND position > %s AND position <= %s"
            " AND (audience = %s OR (audience = %s AND %s) OR %s = ANY(person_ids)) ORDER BY position",
            (session_id, after, upto, ALL, EXAMINERS, examiner, viewer)).fetchall()


def console(pool: ConnectionPool, session_id: UUID) -> list[dict[str, Any]]:
    """Each seat: connection, drops, progress, score so far, integrity signals."""
    with pool.connection() as conn:
        return conn.execute(
            f"SELECT t.person_id, t.connections > 0 AS connected, t.drops, t.last_connected_at, t.last_dropped_at,"
            f" t.attempt_id, t.questions, t.signals, t.camera, t.camera_waived, count(a.question_id) AS answered,"
            f" coalesce(sum(a.points), 0) AS score, coalesce(sum(a.max), 0) AS max_answered"
            f" FROM {_S}seats t LEFT JOIN {_S}answers a USING (session_id, person_id)"
            f" WHERE t.session_id = %s GROUP BY t.session_id, t.person_id ORDER BY t.person_id", (session_id,)).fetchall()


def study_distribution(pool: ConnectionPool, session_id: UUID, question_id: str) -> dict[str, int]:
    with pool.connection() as conn:
        rows = conn.execute(f"SELECT choice, count(*) AS n FROM {_S}study_answers WHERE session_id = %s"
                            " AND question_id = %s GROUP BY choice ORDER BY choice", (session_id, question_id)).fetchall()
    return {r["choice"]: r["n"] for r in rows}


def entries(pool: ConnectionPool, session_id: UUID, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every feed entry of some kinds (the report), in log order."""
    with pool.connection() as conn:
        return conn.execute(f"SELECT position, kind, body, at FROM {_S}feed WHERE session_id = %s"
                            " AND kind = ANY(%s) ORDER BY position", (session_id, list(kinds))).fetchall()
