"""Forum read model: posts, their edits, statuses, endorsements and votes.

A thread's status follows its opening post (pending, hidden); its reply count and last activity
count visible replies only. The search vector holds the thread title (weight A) in the opening
post and every post's body (weight B); a deleted post leaves the search.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg

from adapters.documents.rich_text import render_html
from domain.forum_posts import Post, PostStatus, Vote
from projections.forum.projection import forum

DELETED = "[deleted]"
_VECTOR = ("setweight(to_tsvector(ts_config, CASE WHEN is_opening THEN (SELECT title FROM threads t"
           " WHERE t.thread_id = posts.thread_id) ELSE '' END), 'A') || setweight(to_tsvector(ts_config, body), 'B')")
_THREAD_STATUS = {PostStatus.PENDING: "pending", PostStatus.HIDDEN: "hidden"}  # else visible


def _html(e: Post.Written | Post.Edited) -> str:
    """The body as sanitised HTML, each mention a link to the person (an erased author's
    names are "[erased]", like the body: nothing to link)."""
    names = e.mentioned_names if isinstance(e.mentioned_names, list) else []
    return render_html(e.body, tuple(zip(names, e.mentioned_ids, strict=False)))


@forum.on
def written(cur: psycopg.Cursor, e: Post.Written) -> None:
    """One statement (a busy forum's projection keeps up by round trips): the post, its place in
    the tree and its search vector, then its thread's counters."""
    status = PostStatus.PENDING if e.pending else PostStatus.VISIBLE
    cur.execute(
        "WITH p AS (INSERT INTO posts (post_id, thread_id, forum_id, author_id, parent_id, quoted_post_id, path,"
        "  depth, is_opening, body, body_html, anonymous, status, mentioned_ids, media_ids, created_at, ts_config,"
        "  search)"
        " SELECT %(id)s, %(thread)s, t.forum_id, %(author)s, %(parent)s, %(quoted)s,"
        "  coalesce(parent.path, '') || lpad(nextval('post_order')::text, 12, '0') || '/',"
        "  coalesce(parent.depth + 1, 0), %(parent)s IS NULL, %(body)s, %(html)s, %(anonymous)s, %(status)s,"
        "  %(mentioned)s, %(media)s, %(at)s, f.ts_config,"
        "  setweight(to_tsvector(f.ts_config, CASE WHEN %(parent)s IS NULL THEN t.title ELSE '' END), 'A')"
        "  || setweight(to_tsvector(f.ts_config, %(body)s), 'B')"
        " FROM threads t JOIN forums f ON f.forum_id = t.forum_id"
        " LEFT JOIN posts parent ON parent.post_id = %(parent)s"
        " WHERE t.thread_id = %(thread)s ON CONFLICT DO NOTHING RETURNING thread_id, is_opening)"
        " UPDATE threads t SET"
        "  anonymous = CASE WHEN p.is_opening THEN %(anonymous)s ELSE t.anonymous END,"
        "  status = CASE WHEN p.is_opening THEN %(thread_status)s ELSE t.status END,"
        "  reply_count = t.reply_count + (NOT p.is_opening AND %(visible)s)::int,"
        "  last_activity_at = CASE WHEN %(visible)s THEN greatest(t.last_activity_at, %(at)s)"
        "   ELSE t.last_activity_at END"
        " FROM p WHERE t.thread_id = p.thread_id",
        {"id": e.originator_id, "thread": e.thread_id, "author": e.author_id, "parent": e.parent_id,
         "quoted": e.quoted_post_id, "body": e.body, "html": _html(e), "anonymous": e.anonymous,
         "status": status.value, "mentioned": e.mentioned_ids, "media": e.media_ids, "at": e.timestamp,
         "thread_status": _THREAD_STATUS.get(status, "visible"), "visible": status == PostStatus.VISIBLE},
    )


@forum.on
def edited(cur: psycopg.Cursor, e: Post.Edited) -> None:
    cur.execute(
        "INSERT INTO revisions (post_id, revision, body, body_html, written_at)"
        " SELECT post_id, revisions + 1, body, body_html, coalesce(edited_at, created_at) FROM posts"
        " WHERE post_id = %s ON CONFLICT DO NOTHING", (e.originator_id,))
    cur.execute(
        "UPDATE posts SET body = %s, body_html = %s, mentioned_ids = %s, media_ids = %s, revisions = revisions + 1,"
        " edited_at = %s WHERE post_id = %s",
        (e.body, _html(e), e.mentioned_ids, e.media_ids, e.timestamp, e.originator_id))
    cur.execute(f"UPDATE posts SET search = {_VECTOR} WHERE post_id = %s", (e.originator_id,))


@forum.on
def deleted(cur: psycopg.Cursor, e: Post.Deleted) -> None:
    """The post keeps its place (its replies stay), not its words or its earlier versions."""
    cur.execute("UPDATE posts SET body = %s, body_html = %s, search = NULL, status = 'deleted' WHERE post_id = %s",
                (DELETED, f"<p>{DELETED}</p>", e.originator_id))
    cur.execute("DELETE FROM revisions WHERE post_id = %s", (e.originator_id,))
    _status_changed(cur, e.originator_id, PostStatus.DELETED, None)


@forum.on
def moderated(cur: psycopg.Cursor, e: Post.Hidden | Post.Restored | Post.Approved) -> None:
    status = PostStatus.HIDDEN if isinstance(e, Post.Hidden) else PostStatus.VISIBLE
    cur.execute("UPDATE posts SET status = %s WHERE post_id = %s", (status.value, e.originator_id))
    if isinstance(e, Post.Hidden):  # hiding deals with the post's open reports
        cur.execute("UPDATE reports SET status = 'actioned', closed_at = %s WHERE post_id = %s AND status = 'open'",
                    (e.timestamp, e.originator_id))
    _status_changed(cur, e.originator_id, status, e.timestamp if isinstance(e, Post.Approved) else None)


def _status_changed(cur: psycopg.Cursor, post_id: UUID, status: PostStatus, activity_at: Any) -> None:
    cur.execute("SELECT thread_id, is_opening FROM posts WHERE post_id = %s", (post_id,))
    row = cur.fetchone()
    if row is None:
        return
    if row["is_opening"]:
        cur.execute("UPDATE threads SET status = %s WHERE thread_id = %s",
                    (_THREAD_STATUS.get(status, "visible"), row["thread_id"]))
    cur.execute(
        "UPDATE threads SET reply_count = (SELECT count(*) FROM posts WHERE thread_id = %(t)s AND NOT is_opening"
        "  AND status = 'visible'),"
        " last_activity_at = CASE WHEN %(visible)s THEN greatest(last_activity_at, %(at)s) ELSE last_activity_at END"
        " WHERE thread_id = %(t)s",
        {"t": row["thread_id"], "visible": status == PostStatus.VISIBLE and activity_at is not None, "at": activity_at},
    )


@forum.on
def endorsement(cur: psycopg.Cursor, e: Post.Endorsed | Post.Unendorsed) -> None:
    cur.execute("UPDATE posts SET endorsed = %s WHERE post_id = %s",
                (isinstance(e, Post.Endorsed), e.originator_id))


@forum.on
def vote(cur: psycopg.Cursor, e: Vote.Cast | Vote.Recast | Vote.Withdrawn) -> None:
    if isinstance(e, Vote.Cast):
        cur.execute("INSERT INTO votes (vote_id, post_id, voter_id, active) VALUES (%s, %s, %s, true)"
                    " ON CONFLICT DO NOTHING", (e.originator_id, e.post_id, e.voter_id))
    else:
        cur.execute("UPDATE votes SET active = %s WHERE vote_id = %s", (isinstance(e, Vote.Recast), e.originator_id))
    cur.execute(
        "WITH counted AS (UPDATE posts p SET votes = (SELECT count(*) FROM votes v WHERE v.post_id = p.post_id"
        "  AND v.active) WHERE p.post_id = (SELECT post_id FROM votes WHERE vote_id = %s)"
        "  RETURNING p.thread_id, p.votes, p.is_opening)"
        " UPDATE threads t SET votes = counted.votes FROM counted WHERE t.thread_id = counted.thread_id"
        "  AND counted.is_opening", (e.originator_id,))
