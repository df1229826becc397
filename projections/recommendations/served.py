"""What each student was shown, for auditors ("why did this student see that course?"): every
answer of the recommendation endpoint with its model version and log position. Operational
state, not a read model: a rebuild cannot recreate what was shown, so it lives outside the
view schemas, like the notification outbox. Rows are personal data of the student: the
recommender's read model deletes them when it applies the student's User.Erased."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        conn.execute("""CREATE TABLE IF NOT EXISTS recommendations_served (
            served_id bigserial PRIMARY KEY, student_id uuid NOT NULL, served_at timestamptz NOT NULL DEFAULT now(),
            model_version text NOT NULL, position bigint NOT NULL, items jsonb NOT NULL)""")
        conn.execute("CREATE INDEX IF NOT EXISTS recommendations_served_student"
                     " ON recommendations_served (student_id, served_id)")


def record(pool: ConnectionPool, student_id: UUID, answer: dict[str, Any]) -> None:
    items = [{k: i[k] for k in ("course_id", "reason", "because_of", "explanation")} for i in answer["items"]]
    with pool.connection() as conn:
        conn.execute(
            "INSERT INTO recommendations_served (student_id, model_version, position, items) VALUES (%s, %s, %s, %s)",
            (student_id, answer["model_version"], answer["position"],
             Jsonb(items, dumps=lambda v: orjson.dumps(v, default=str).decode())))


def history(pool: ConnectionPool, student_id: UUID, limit: int, cursor: str | None) -> dict[str, Any]:
    """Newest first."""
    after = decode_cursor(cursor, Kind.WHOLE)
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT served_id, served_at, model_version, position, items FROM recommendations_served"
            " WHERE student_id = %s AND (%s::bigint IS NULL OR served_id < %s) ORDER BY served_id DESC LIMIT %s",
            (student_id, after and after[0], after and after[0], limit + 1)).fetchall()
    return page(rows, limit, "served_id")
