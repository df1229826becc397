"""Ranked full-text search over forum posts (thread titles count in their opening post).

Only posts the reader may open are ever candidates: the forums they read (checked by the
caller), visible posts in visible threads. An author filter never reveals an anonymous post's
author, except to the forum's moderators and to the author. Ranking follows the catalog
search (projections/reading/text_search.py): the index is asked with the query parsed in every
configuration, each post is matched and ranked with its forum's own.

Only the newest RANK_WINDOW matching posts are ranked: a common word matches most of a million
posts, and ranking them all took seconds for a reader of thousands of forums. The text query is
parsed first and sent back as a constant, so the planner sees its selectivity (from the
column's statistics) and, per query, walks the newest visible posts (a common word) or the text
index (a rare one). A query matching fewer posts than the window is ranked exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from projections.forum.forum_queries import author_columns
from projections.reading.pagination import Kind, decode_cursor, encode_cursor
from projections.reading.text_search import QUERIES, configs_for


@dataclass(frozen=True)
class PostFilter:
    text: str
    forum_id: UUID | None = None
    category_id: UUID | None = None
    tag: str | None = None
    author_id: UUID | None = None
    answered: bool | None = None
    language: str | None = None


RANK_WINDOW = 2000  # matching posts ranked per query, the newest first

_PARSED = sql.SQL("WITH {queries} SELECT query::text AS query FROM q").format(queries=QUERIES)


def _conditions(f: PostFilter) -> tuple[list[str], list[str]]:
    """What a post must be (its own columns) and what its thread must be (beyond visible)."""
    post = ["p.search @@ %(tsquery)s::tsquery", "p.forum_id = ANY(%(readable)s)", "p.status = 'visible'"]
    thread = []
    if f.forum_id:
        post.append("p.forum_id = %(forum)s")
    if f.author_id:
        post.append("p.author_id = %(author)s AND (NOT p.anonymous OR p.author_id = %(me)s"
                    " OR p.forum_id = ANY(%(moderated)s))")
    if f.category_id:
        thread.append("t.category_id = %(category)s")
    if f.tag:
        thread.append("t.tags @> ARRAY[%(tag)s::text]")
    if f.answered is not None:
        thread.append("t.kind = 'question' AND (t.accepted_post_id IS NOT NULL) = %(answered)s")
    return post, thread


def search_posts(pool: ConnectionPool, me: UUID, readable: list[UUID], moderated: list[UUID], f: PostFilter, *,
                 limit: int, cursor: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "q": f.text, "configs": configs_for(f.language), "me": me, "readable": readable, "moderated": moderated,
        "forum": f.forum_id, "category": f.category_id, "tag": f.tag and " ".join(f.tag.lower().split()),
        "author": f.author_id, "answered": f.answered, "limit": limit + 1, "window": RANK_WINDOW,
    }
    outer = "true"
    after = decode_cursor(cursor, Kind.NUMBER, Kind.ID)
    if after:
        params["a_rank"], params["a_id"] = after
        outer = "(p.rank, p.post_id) < (%(a_rank)s::real, %(a_id)s::uuid)"
    post, thread = _conditions(f)
    # A thread filter must pick the window's posts; otherwise the thread is joined to the window
    # only (one index look-up per candidate, never a scan of every thread).
    joined = "JOIN view_forum.threads t ON t.thread_id = p.thread_id AND t.status = 'visible'" if thread else ""
    query = sql.SQL(
        "WITH {queries}, candidates AS MATERIALIZED ("
        "  SELECT p.post_id, p.thread_id, p.forum_id, p.author_id, p.anonymous, p.is_opening, p.created_at, p.votes,"
        "   p.endorsed, p.body, p.search, p.ts_config"
        "  FROM view_forum.posts p {joined} WHERE {where} ORDER BY p.created_at DESC LIMIT %(window)s),"
        " ranked AS (SELECT c.*, t.title, t.kind, t.category_id, t.tags, t.accepted_post_id,"
        "  ts_rank(c.search, qs.query) AS rank FROM candidates c"
        "  JOIN qs ON qs.config = c.ts_config AND c.search @@ qs.query"
        "  JOIN view_forum.threads t ON t.thread_id = c.thread_id AND t.status = 'visible')"
        " SELECT p.post_id, p.thread_id, p.forum_id, p.title, p.kind, p.category_id, p.tags,"
        "  p.accepted_post_id IS NOT NULL AS answered, p.is_opening, p.created_at, p.votes, p.endorsed,"
        "  left(p.body, 300) AS excerpt, {author}, p.rank"
        " FROM ranked p LEFT JOIN view_identity.users u ON u.user_id = p.author_id"
        " WHERE {outer} ORDER BY p.rank DESC, p.post_id DESC LIMIT %(limit)s"
    ).format(queries=QUERIES, author=sql.SQL(author_columns("p")), joined=sql.SQL(joined),
             where=sql.SQL(" AND ".join(post + thread)), outer=sql.SQL(outer))
    with pool.connection() as conn:
        params["tsquery"] = conn.execute(_PARSED, params).fetchone()["query"]
        if params["tsquery"] is None:  # only stop words: nothing to find
            return {"items": [], "next_cursor": None}
        # Never a prepared (generic) plan: the plan depends on how common the words are.
        rows = conn.execute(query, params, prepare=False).fetchall()
    items = rows[:limit]
    more = len(rows) > limit and items
    return {"items": items, "next_cursor": encode_cursor(items[-1]["rank"], items[-1]["post_id"]) if more else None}
