"""Queries on the forum read model: forums, thread lists, a thread's posts as a tree, edit
histories. Every query takes the forums the caller reads and moderates (commands/forum/access.py):
an anonymous post's author shows only to its moderators and to the author; hidden posts keep
their place but not their words, and waiting posts show only to their author and moderators."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.errors import InvalidInput
from projections.reading.pagination import Kind, decode_cursor, encode_cursor, page

ANONYMOUS_NAME = "Anonymous"


def author_columns(alias: str) -> str:
    """The author's id and name as this reader may see them (params: me, moderated)."""
    masked = f"{alias}.anonymous AND NOT ({alias}.forum_id = ANY(%(moderated)s) OR {alias}.author_id = %(me)s)"
    return (f"CASE WHEN {masked} THEN NULL ELSE {alias}.author_id END AS author_id,"
            f" CASE WHEN {masked} THEN '{ANONYMOUS_NAME}' ELSE u.display_name END AS author_name")


def candidate_forums(pool: ConnectionPool, user_id: UUID, reviewer: bool) -> list[dict[str, Any]]:
    """Forums the person may read according to the read models (checked again by the caller)."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT forum_id, scope, scope_id FROM view_forum.forums f WHERE f.scope = 'platform'"
            " OR (f.scope = 'course' AND (%(reviewer)s"
            "  OR f.scope_id IN (SELECT course_id FROM view_catalog.courses WHERE owner_id = %(me)s)"
            "  OR f.scope_id IN (SELECT course_id FROM view_enrolment.enrolments WHERE student_id = %(me)s AND active)))"
            " OR (f.scope = 'class' AND (f.scope_id IN (SELECT class_id FROM view_classroom.classes WHERE teacher_id = %(me)s)"
            "  OR f.scope_id IN (SELECT class_id FROM view_classroom.members WHERE student_id = %(me)s"
            "   AND removed_at IS NULL)))",
            {"me": user_id, "reviewer": reviewer},
        ).fetchall()


def forums(pool: ConnectionPool, forum_ids: list[UUID], scope: str | None, scope_id: UUID | None) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT f.forum_id, f.scope, f.scope_id, f.title, f.description, f.allow_anonymous, f.language,"
            " f.created_at, coalesce((SELECT jsonb_agg(jsonb_build_object('category_id', c.category_id, 'name', c.name)"
            "  ORDER BY c.name) FROM view_forum.categories c WHERE c.forum_id = f.forum_id), '[]') AS categories"
            " FROM view_forum.forums f WHERE f.forum_id = ANY(%s) AND (%s::text IS NULL OR f.scope = %s)"
            " AND (%s::uuid IS NULL OR f.scope_id = %s) ORDER BY f.created_at, f.forum_id",
            (forum_ids, scope, scope, scope_id, scope_id),
        ).fetchall()


def posts_with_media(pool: ConnectionPool, media_id: UUID) -> list[UUID]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT post_id FROM view_forum.posts WHERE media_ids @> ARRAY[%s::uuid]"
                            " ORDER BY created_at LIMIT 50", (media_id,)).fetchall()
    return [r["post_id"] for r in rows]


def bytes_uploaded(pool: ConnectionPool, uploader_id: UUID) -> int:
    """What a person's uploads take in the media store (its read model), for their quota."""
    with pool.connection() as conn:
        row = conn.execute("SELECT coalesce(sum(size), 0) AS n FROM view_media.media WHERE uploader_id = %s",
                           (uploader_id,)).fetchone()
    return int(row["n"])


def visible_post_count(pool: ConnectionPool, author_id: UUID) -> int:
    with pool.connection() as conn:
        row = conn.execute("SELECT count(*) AS n FROM view_forum.posts WHERE author_id = %s AND status = 'visible'",
                           (author_id,)).fetchone()
    return row["n"]


# sort -> (key column, its kind in a cursor, extra condition)
THREAD_SORTS: dict[str, tuple[str, Kind, str]] = {
    "newest": ("created_at", Kind.TIME, "true"),
    "active": ("last_activity_at", Kind.TIME, "true"),
    "votes": ("votes", Kind.WHOLE, "true"),
    "unanswered": ("created_at", Kind.TIME, "t.kind = 'question' AND t.accepted_post_id IS NULL"),
}
_THREAD_COLUMNS = (
    "t.thread_id, t.forum_id, t.category_id, t.kind, t.title, t.tags, t.anonymous, t.status, t.locked, t.pinned,"
    " t.accepted_post_id, t.reply_count, t.votes, t.created_at, t.last_activity_at, t.opening_post_id"
)


def _visible_thread(alias: str = "t") -> str:
    return (f"({alias}.status = 'visible' OR {alias}.forum_id = ANY(%(moderated)s)"
            f" OR ({alias}.status = 'pending' AND {alias}.author_id = %(me)s))")


def threads(pool: ConnectionPool, me: UUID, moderated: list[UUID], forum_id: UUID, *, sort: str,
            category_id: UUID | None, tag: str | None, limit: int, cursor: str | None) -> dict[str, Any]:
    """Pinned threads first, then by the sort; each with whether the reader has unread posts in it."""
    if sort not in THREAD_SORTS:
        raise InvalidInput(f"unknown sort {sort!r}", fields={"sort": f"one of {', '.join(THREAD_SORTS)}"})
    key, kind, extra = THREAD_SORTS[sort]
    params: dict[str, Any] = {"me": me, "moderated": moderated, "forum": forum_id, "category": category_id,
                              "tag": tag and " ".join(tag.lower().split()), "limit": limit + 1}
    where = [f"t.forum_id = %(forum)s", _visible_thread(), extra,
             "(%(category)s::uuid IS NULL OR t.category_id = %(category)s)",
             "(%(tag)s::text IS NULL OR t.tags @> ARRAY[%(tag)s::text])"]
    after = decode_cursor(cursor, Kind.TEXT, Kind.FLAG, kind, Kind.ID)
    if after:
        if after[0] != sort:
            raise InvalidInput("cursor is not valid", fields={"cursor": f"from a list sorted by {after[0]}"})
        params.update(a_pin=after[1], a_key=after[2], a_id=after[3])
        cast = "timestamptz" if kind == Kind.TIME else "int"
        where.append(f"(t.pinned, t.{key}, t.thread_id) < (%(a_pin)s, %(a_key)s::{cast}, %(a_id)s::uuid)")
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT {_THREAD_COLUMNS}, {author_columns('t')},"
            " (r.read_at IS NULL OR t.last_activity_at > r.read_at) AS unread"
            " FROM view_forum.threads t LEFT JOIN view_identity.users u ON u.user_id = t.author_id"
            " LEFT JOIN forum_reads r ON r.thread_id = t.thread_id AND r.user_id = %(me)s"
            f" WHERE {' AND '.join(where)} ORDER BY t.pinned DESC, t.{key} DESC, t.thread_id DESC LIMIT %(limit)s",
            params,
        ).fetchall()
    items = rows[:limit]
    more = len(rows) > limit and items
    return {"items": items,
            "next_cursor": encode_cursor(sort, items[-1]["pinned"], items[-1][key], items[-1]["thread_id"]) if more else None}


def thread(pool: ConnectionPool, me: UUID, moderated: list[UUID], thread_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(
            f"SELECT {_THREAD_COLUMNS}, {author_columns('t')}, r.read_at"
            " FROM view_forum.threads t LEFT JOIN view_identity.users u ON u.user_id = t.author_id"
            " LEFT JOIN forum_reads r ON r.thread_id = t.thread_id AND r.user_id = %(me)s"
            f" WHERE t.thread_id = %(thread)s AND {_visible_thread()}",
            {"me": me, "moderated": moderated, "thread": thread_id},
        ).fetchone()


def _shown_body(alias: str) -> str:
    """Hidden posts lose their words for readers who do not moderate the forum."""
    return (f"CASE WHEN {alias}.status = 'hidden' AND NOT {alias}.forum_id = ANY(%(moderated)s) THEN NULL"
            f" ELSE {alias}.body_html END")


def posts(pool: ConnectionPool, me: UUID, moderated: list[UUID], thread_id: UUID, read_at: Any, *,
          limit: int, cursor: str | None) -> dict[str, Any]:
    """The thread's posts as a tree (each after its parent), with quotes and unread flags."""
    params: dict[str, Any] = {"me": me, "moderated": moderated, "thread": thread_id, "read_at": read_at,
                              "limit": limit + 1}
    where = ["p.thread_id = %(thread)s",
             "(p.status <> 'pending' OR p.forum_id = ANY(%(moderated)s) OR p.author_id = %(me)s)"]
    after = decode_cursor(cursor, Kind.TEXT)
    if after:
        params["after"] = after[0]
        where.append("p.path > %(after)s")
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT p.post_id, p.parent_id, p.depth, p.is_opening, p.status, p.anonymous, p.votes, p.endorsed,"
            f" p.revisions, p.created_at, p.edited_at, p.mentioned_ids, p.path, {_shown_body('p')} AS body_html,"
            f" {author_columns('p')}, (%(read_at)s::timestamptz IS NULL OR p.created_at > %(read_at)s) AS unread,"
            " EXISTS (SELECT 1 FROM view_forum.votes v WHERE v.post_id = p.post_id AND v.voter_id = %(me)s"
            "  AND v.active) AS voted,"
            " CASE WHEN q.post_id IS NOT NULL AND q.status IN ('visible', 'deleted') THEN jsonb_build_object("
            "  'post_id', q.post_id, 'body_html', q.body_html) END AS quote"
            " FROM view_forum.posts p LEFT JOIN view_identity.users u ON u.user_id = p.author_id"
            " LEFT JOIN view_forum.posts q ON q.post_id = p.quoted_post_id"
            f" WHERE {' AND '.join(where)} ORDER BY p.path LIMIT %(limit)s",
            params,
        ).fetchall()
    result = page(rows, limit, "path")
    for row in result["items"]:
        del row["path"]
    return result


def history(pool: ConnectionPool, post_id: UUID) -> list[dict[str, Any]]:
    """Earlier versions of a post, oldest first."""
    with pool.connection() as conn:
        return conn.execute("SELECT revision, body_html, written_at FROM view_forum.revisions WHERE post_id = %s"
                            " ORDER BY revision", (post_id,)).fetchall()
