"""The moderation queue: open reports and posts waiting for approval, in the forums the caller
moderates, oldest first."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page


def queue(pool: ConnectionPool, moderated: list[UUID], *, limit: int, cursor: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"moderated": moderated, "limit": limit + 1}
    outer = "true"
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    if after:
        params["a_at"], params["a_id"] = after
        outer = "(since, item_id) > (%(a_at)s::timestamptz, %(a_id)s::uuid)"
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT * FROM ("
            " SELECT 'report' AS kind, r.report_id AS item_id, r.filed_at AS since, r.reason, r.reporter_id,"
            "  p.post_id, p.thread_id, p.forum_id, p.author_id, p.status AS post_status, p.body_html"
            " FROM view_forum.reports r JOIN view_forum.posts p ON p.post_id = r.post_id"
            " WHERE r.status = 'open' AND p.forum_id = ANY(%(moderated)s)"
            " UNION ALL"
            " SELECT 'pending', p.post_id, p.created_at, NULL, NULL, p.post_id, p.thread_id, p.forum_id, p.author_id,"
            "  p.status, p.body_html FROM view_forum.posts p"
            " WHERE p.status = 'pending' AND p.forum_id = ANY(%(moderated)s)"
            f") q WHERE {outer} ORDER BY since, item_id LIMIT %(limit)s",
            params,
        ).fetchall()
    return page(rows, limit, "since", "item_id")


def suspensions(pool: ConnectionPool, forum_id: UUID) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute("SELECT user_id, until, reason FROM view_forum.suspensions WHERE forum_id = %s"
                            " AND until > now() ORDER BY until", (forum_id,)).fetchall()
