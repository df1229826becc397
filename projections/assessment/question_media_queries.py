"""Queries on the question media read model."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool


def holders_of(pool: ConnectionPool, media_id: UUID) -> list[dict[str, Any]]:
    """The questions (holder 'question') and quizzes ('quiz') whose texts link the file."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT holder, holder_id FROM view_question_media.links WHERE media_id = %s ORDER BY holder, holder_id",
            (media_id,),
        ).fetchall()
