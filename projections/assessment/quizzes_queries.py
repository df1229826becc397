"""Queries on the quizzes read model (schema-qualified)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page


def quiz(pool: ConnectionPool, quiz_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute("SELECT * FROM view_quizzes.quizzes WHERE quiz_id = %s", (quiz_id,)).fetchone()


def version(pool: ConnectionPool, quiz_id: UUID, number: int) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT quiz_id, version, snapshot, published_at, corrections FROM view_quizzes.versions"
            " WHERE quiz_id = %s AND version = %s",
            (quiz_id, number),
        ).fetchone()


def release_facts(pool: ConnectionPool, quiz_id: UUID) -> dict[str, Any]:
    """What releasing feedback and keys depends on beyond an attempt's own version: the latest
    close across all versions (`closes_at`, domain.quizzes.feedback_released's quiz_closes_at)
    and the latest version's `attempts_allowed`."""
    with pool.connection() as conn:
        found = conn.execute(
            "SELECT max((snapshot->'settings'->>'closes_at')::timestamptz) AS closes_at,"
            " (array_agg(snapshot->'settings'->'attempts_allowed' ORDER BY version DESC))[1] AS attempts_allowed"
            " FROM view_quizzes.versions WHERE quiz_id = %s",
            (quiz_id,),
        ).fetchone()
    return found or {"closes_at": None, "attempts_allowed": None}


def versions(pool: ConnectionPool, quiz_id: UUID) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT version, published_at, corrections FROM view_quizzes.versions WHERE quiz_id = %s ORDER BY version",
            (quiz_id,),
        ).fetchall()


def quizzes_for(
    pool: ConnectionPool, audience_id: UUID, *, published_only: bool, limit: int, cursor: str | None
) -> dict[str, Any]:
    """A class's or a course's quizzes, oldest first, with the latest published settings."""
    where, params = ["q.audience_id = %s"], [audience_id]
    if published_only:
        where.append("q.latest_version > 0")
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    if after:
        where.append("(q.created_at, q.quiz_id) > (%s::timestamptz, %s::uuid)")
        params += after
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT q.quiz_id, q.audience, q.audience_id, q.title, q.latest_version, q.created_at,"
            " v.snapshot->'settings' AS published_settings FROM view_quizzes.quizzes q"
            " LEFT JOIN view_quizzes.versions v ON v.quiz_id = q.quiz_id AND v.version = q.latest_version"
            f" WHERE {' AND '.join(where)} ORDER BY q.created_at, q.quiz_id LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "created_at", "quiz_id")
