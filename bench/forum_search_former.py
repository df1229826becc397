"""The forum search as it was before the candidate window (commit df33fd4): every matching post
in the reader's forums is ranked. Kept only so bench/forum_search.py measures before and after
in the same run, on the same rows and under the same machine load."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from projections.forum.forum_queries import author_columns
from projections.forum.search_queries import PostFilter
from projections.reading.pagination import Kind, decode_cursor, encode_cursor
from projections.reading.text_search import QUERIES, configs_for


def _conditions(f: PostFilter) -> list[str]:
    where = ["p.search @@ q.query", "p.search @@ qs.query", "p.forum_id = ANY(%(readable)s)",
             "p.status = 'visible'", "t.status = 'visible'"]
    if f.forum_id:
        where.append("p.forum_id = %(forum)s")
    if f.category_id:
        where.append("t.category_id = %(category)s")
    if f.tag:
        where.append("t.tags @> ARRAY[%(tag)s::text]")
    if f.author_id:
        where.append("p.author_id = %(author)s AND (NOT p.anonymous OR p.author_id = %(me)s"
                     " OR p.forum_id = ANY(%(moderated)s))")
    if f.answered is not None:
        where.append("t.kind = 'question' AND (t.accepted_post_id IS NOT NULL) = %(answered)s")
    return where


def former_search_posts(pool: ConnectionPool, me: UUID, readable: list[UUID], moderated: list[UUID], f: PostFilter, *,
                 limit: int, cursor: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "q": f.text, "configs": configs_for(f.language), "me": me, "readable": readable, "moderated": moderated,
        "forum": f.forum_id, "category": f.category_id, "tag": f.tag and " ".join(f.tag.lower().split()),
        "author": f.author_id, "answered": f.answered, "limit": limit + 1,
    }
    outer = "true"
    after = decode_cursor(cursor, Kind.NUMBER, Kind.ID)
    if after:
        params["a_rank"], params["a_id"] = after
        outer = "(rank, post_id) < (%(a_rank)s::real, %(a_id)s::uuid)"
    query = sql.SQL(
        "WITH {queries} SELECT * FROM ("
        " SELECT p.post_id, p.thread_id, p.forum_id, t.title, t.kind, t.category_id, t.tags,"
        "  t.accepted_post_id IS NOT NULL AS answered, p.is_opening, p.created_at, p.votes, p.endorsed,"
        "  left(p.body, 300) AS excerpt, {author}, ts_rank(p.search, qs.query) AS rank"
        " FROM view_forum.posts p JOIN qs ON qs.config = p.ts_config CROSS JOIN q"
        " JOIN view_forum.threads t ON t.thread_id = p.thread_id"
        " LEFT JOIN view_identity.users u ON u.user_id = p.author_id"
        " WHERE {where}) s WHERE {outer} ORDER BY rank DESC, post_id DESC LIMIT %(limit)s"
    ).format(queries=QUERIES, author=sql.SQL(author_columns("p")),
             where=sql.SQL(" AND ".join(_conditions(f))), outer=sql.SQL(outer))
    with pool.connection() as conn:
        rows = conn.execute(query, params).fetchall()
    items = rows[:limit]
    more = len(rows) > limit and items
    return {"items": items, "next_cursor": encode_cursor(items[-1]["rank"], items[-1]["post_id"]) if more else None}
