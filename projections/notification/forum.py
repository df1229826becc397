"""What the forum's notification rules need: forums and their scopes, threads (author, tags),
posts' authors, and who follows which thread, forum or tag.

Part of the notification projection (projections/notification/decisions.py merges its tables and
handlers). Recipients are only people who can read the forum by the audiences this projection
keeps (a course's owner and enrolled students, a class's teacher and students, everyone for a
platform forum), so a follow or a mention never tells anyone of a post they could not open.
Waiting (pending) posts tell nobody until a moderator approves them: then they tell whom they
would have told when written (a rejected post never tells anyone). An edit that adds mentions
tells the newly mentioned only. Messages name the forum, never the author or the words.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg

from domain.forum import Forum, Thread
from domain.forum_follows import FollowKind, ForumFollow
from domain.forum_posts import Post
from projections.engine.engine import Projection

forum_audience = Projection(
    name="notification",
    tables=[
        """CREATE TABLE IF NOT EXISTS forum_forums (
            forum_id uuid PRIMARY KEY, scope text NOT NULL, scope_id uuid, title text NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS forum_threads (
            thread_id uuid PRIMARY KEY, forum_id uuid NOT NULL, author_id uuid NOT NULL, tags text[] NOT NULL)""",
        # mentioned_ids: everyone mentioned so far (told, or to be told on approval while pending)
        """CREATE TABLE IF NOT EXISTS forum_posts (
            post_id uuid PRIMARY KEY, thread_id uuid NOT NULL, author_id uuid NOT NULL, parent_id uuid,
            mentioned_ids uuid[] NOT NULL, pending boolean NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS forum_follows (
            user_id uuid NOT NULL, kind text NOT NULL, target_id uuid NOT NULL, tag text NOT NULL,
            PRIMARY KEY (kind, target_id, tag, user_id))""",
    ],
)


@forum_audience.on
def forum_created(cur: psycopg.Cursor, e: Forum.Created) -> None:
    cur.execute("INSERT INTO forum_forums (forum_id, scope, scope_id, title) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING", (e.originator_id, e.scope, e.scope_id, e.title))


@forum_audience.on
def thread_started(cur: psycopg.Cursor, e: Thread.Started) -> None:
    cur.execute("INSERT INTO forum_threads (thread_id, forum_id, author_id, tags) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING", (e.originator_id, e.forum_id, e.author_id, e.tags))


@forum_audience.on
def thread_moved(cur: psycopg.Cursor, e: Thread.Moved) -> None:
    cur.execute("UPDATE forum_threads SET forum_id = %s WHERE thread_id = %s", (e.forum_id, e.originator_id))


@forum_audience.on
def post_written(cur: psycopg.Cursor, e: Post.Written) -> None:
    """Runs after the rule decided (see decisions.py), as do the two below."""
    cur.execute("INSERT INTO forum_posts (post_id, thread_id, author_id, parent_id, mentioned_ids, pending)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (e.originator_id, e.thread_id, e.author_id, e.parent_id, e.mentioned_ids, e.pending))


@forum_audience.on
def post_edited(cur: psycopg.Cursor, e: Post.Edited) -> None:
    """A waiting post's mentions are its latest; a visible post's, everyone it ever mentioned."""
    cur.execute("UPDATE forum_posts SET mentioned_ids = CASE WHEN pending THEN %(m)s::uuid[] ELSE"
                " ARRAY(SELECT DISTINCT unnest(mentioned_ids || %(m)s::uuid[])) END WHERE post_id = %(p)s",
                {"m": e.mentioned_ids, "p": e.originator_id})


@forum_audience.on
def post_approved(cur: psycopg.Cursor, e: Post.Approved) -> None:
    cur.execute("UPDATE forum_posts SET pending = false WHERE post_id = %s", (e.originator_id,))


@forum_audience.on
def follow_changed(cur: psycopg.Cursor, e: ForumFollow.Followed | ForumFollow.Unfollowed) -> None:
    if isinstance(e, ForumFollow.Followed):
        cur.execute("INSERT INTO forum_follows (user_id, kind, target_id, tag) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT DO NOTHING", (e.user_id, e.kind, e.target_id, e.tag))
    else:
        cur.execute("DELETE FROM forum_follows WHERE user_id = %s AND kind = %s AND target_id = %s AND tag = %s",
                    (e.user_id, e.kind, e.target_id, e.tag))


def _readers(cur: psycopg.Cursor, forum_id: UUID, candidates: set[UUID]) -> list[UUID]:
    cur.execute(
        "SELECT u AS user_id FROM unnest(%(c)s::uuid[]) u, forum_forums f WHERE f.forum_id = %(f)s AND ("
        " f.scope = 'platform'"
        " OR (f.scope = 'course' AND (u = (SELECT owner_id FROM courses WHERE course_id = f.scope_id)"
        "  OR EXISTS (SELECT 1 FROM enrolments WHERE course_id = f.scope_id AND student_id = u AND active)))"
        " OR (f.scope = 'class' AND (u = (SELECT teacher_id FROM classes WHERE class_id = f.scope_id)"
        "  OR EXISTS (SELECT 1 FROM class_students WHERE class_id = f.scope_id AND student_id = u))))"
        " ORDER BY u", {"c": list(candidates), "f": forum_id})
    return [r["user_id"] for r in cur.fetchall()]


def _thread(cur: psycopg.Cursor, thread_id: UUID) -> dict[str, Any] | None:
    cur.execute("SELECT forum_id, author_id, tags FROM forum_threads WHERE thread_id = %s", (thread_id,))
    return cur.fetchone()


def post_audience(cur: psycopg.Cursor, e: Post.Written) -> list[UUID]:
    if e.pending:
        return []  # told on approval
    return _audience_of_post(cur, e.thread_id, e.parent_id, e.mentioned_ids)


def _post(cur: psycopg.Cursor, post_id: UUID) -> dict[str, Any] | None:
    cur.execute("SELECT thread_id, author_id, parent_id, mentioned_ids, pending FROM forum_posts WHERE post_id = %s",
                (post_id,))
    return cur.fetchone()


def approved_post_audience(cur: psycopg.Cursor, e: Post.Approved) -> list[UUID]:
    """Whom the post would have told when written; the actor is the moderator, so the author is
    left out here (never told of their own post)."""
    post = _post(cur, e.originator_id)
    if post is None or not post["pending"]:
        return []
    told = _audience_of_post(cur, post["thread_id"], post["parent_id"], post["mentioned_ids"])
    return [p for p in told if p != post["author_id"]]


def newly_mentioned(cur: psycopg.Cursor, e: Post.Edited) -> list[UUID]:
    """An edit of a visible post tells only the people it mentions for the first time."""
    post = _post(cur, e.originator_id)
    if post is None or post["pending"]:
        return []
    thread = _thread(cur, post["thread_id"])
    new = set(e.mentioned_ids) - set(post["mentioned_ids"])
    return _readers(cur, thread["forum_id"], new) if thread and new else []


def _audience_of_post(cur: psycopg.Cursor, thread_id: UUID, parent_id: UUID | None,
                      mentioned_ids: list[UUID]) -> list[UUID]:
    """The people mentioned, the author of the post replied to, and the followers of the thread,
    its forum and its tags (a new thread: of the forum and the tags)."""
    thread = _thread(cur, thread_id)
    if thread is None:
        return []
    cur.execute(
        "SELECT user_id FROM forum_follows WHERE (kind = %s AND target_id = %s) OR (kind = %s AND target_id = %s)"
        " OR (kind = %s AND target_id = %s AND tag = ANY(%s))"
        " UNION SELECT author_id FROM forum_posts WHERE post_id = %s",
        (FollowKind.THREAD.value, thread_id, FollowKind.FORUM.value, thread["forum_id"], FollowKind.TAG.value,
         thread["forum_id"], thread["tags"], parent_id))
    candidates = {r["user_id"] for r in cur.fetchall()} | set(mentioned_ids)
    return _readers(cur, thread["forum_id"], candidates)


def answer_author(cur: psycopg.Cursor, e: Thread.AnswerAccepted) -> list[UUID]:
    cur.execute("SELECT author_id FROM forum_posts WHERE post_id = %s", (e.post_id,))
    row = cur.fetchone()
    return [row["author_id"]] if row else []


def where(cur: psycopg.Cursor, e: Any) -> dict[str, Any]:
    """Which thread, in which forum: never the author (posts may be anonymous) or the words."""
    if isinstance(e, Post.Written):
        thread_id = e.thread_id
    elif isinstance(e, Post.Edited | Post.Approved):
        post = _post(cur, e.originator_id)
        thread_id = post["thread_id"] if post else None
    else:
        thread_id = e.originator_id
    cur.execute("SELECT f.title FROM forum_threads t JOIN forum_forums f USING (forum_id) WHERE t.thread_id = %s",
                (thread_id,))
    row = cur.fetchone()
    return {"forum_title": row["title"] if row else "", "thread_id": str(thread_id),
            "post_id": str(getattr(e, "post_id", e.originator_id))}
