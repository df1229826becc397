"""Forum read model: its tables, and the handlers of forums and threads.

Posts carry their thread's forum (moved with it) and the forum's text-search configuration, so
a search needs no join to filter by forum. `path` orders a thread's posts as a tree: each post
appends its own zero-padded number to its parent's path, so `ORDER BY path` is the threaded view.
"""

from __future__ import annotations

import psycopg

from adapters.documents.mentions import person_link
from domain.event_conventions import ERASED
from domain.forum import Forum, Thread
from domain.identity import User
from projections.engine.engine import Projection
from projections.reading.text_search import config_for

forum = Projection(
    name="forum",
    tables=[
        """CREATE TABLE IF NOT EXISTS forums (
            forum_id uuid PRIMARY KEY, scope text NOT NULL, scope_id uuid, title text NOT NULL,
            description text NOT NULL, allow_anonymous boolean NOT NULL, language text NOT NULL,
            ts_config regconfig NOT NULL, created_at timestamptz NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS forums_scope ON forums (scope, scope_id)",
        """CREATE TABLE IF NOT EXISTS categories (
            category_id uuid PRIMARY KEY, forum_id uuid NOT NULL, name text NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS threads (
            thread_id uuid PRIMARY KEY, forum_id uuid NOT NULL, category_id uuid, author_id uuid NOT NULL,
            kind text NOT NULL, title text NOT NULL, tags text[] NOT NULL, anonymous boolean NOT NULL,
            status text NOT NULL, opening_post_id uuid NOT NULL, locked boolean NOT NULL DEFAULT false,
            pinned boolean NOT NULL DEFAULT false, accepted_post_id uuid, reply_count int NOT NULL DEFAULT 0,
            votes int NOT NULL DEFAULT 0, created_at timestamptz NOT NULL, last_activity_at timestamptz NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS threads_newest ON threads (forum_id, pinned, created_at, thread_id)",
        "CREATE INDEX IF NOT EXISTS threads_active ON threads (forum_id, pinned, last_activity_at, thread_id)",
        "CREATE INDEX IF NOT EXISTS threads_author ON threads (author_id)",
        "CREATE SEQUENCE IF NOT EXISTS post_order",
        """CREATE TABLE IF NOT EXISTS posts (
            post_id uuid PRIMARY KEY, thread_id uuid NOT NULL, forum_id uuid NOT NULL, author_id uuid NOT NULL,
            parent_id uuid, quoted_post_id uuid, path text NOT NULL, depth int NOT NULL, is_opening boolean NOT NULL,
            body text NOT NULL, body_html text NOT NULL, anonymous boolean NOT NULL, status text NOT NULL,
            mentioned_ids uuid[] NOT NULL, media_ids uuid[] NOT NULL DEFAULT '{}', votes int NOT NULL DEFAULT 0, endorsed boolean NOT NULL DEFAULT false,
            revisions int NOT NULL DEFAULT 0, created_at timestamptz NOT NULL, edited_at timestamptz,
            ts_config regconfig NOT NULL, search tsvector)""",
        "CREATE INDEX IF NOT EXISTS posts_search ON posts USING gin (search)",
        "CREATE INDEX IF NOT EXISTS posts_thread ON posts (thread_id, path)",
        "CREATE INDEX IF NOT EXISTS posts_forum ON posts (forum_id)",
        "CREATE INDEX IF NOT EXISTS posts_media ON posts USING gin (media_ids)",
        "CREATE INDEX IF NOT EXISTS posts_author ON posts (author_id, status)",
        "CREATE INDEX IF NOT EXISTS posts_pending ON posts (forum_id, created_at) WHERE status = 'pending'",
        # The search ranks the newest matches of a common word: it walks this backwards.
        "CREATE INDEX IF NOT EXISTS posts_newest ON posts (created_at) WHERE status = 'visible'",
        # Earlier versions of edited posts: the visible edit history.
        """CREATE TABLE IF NOT EXISTS revisions (
            post_id uuid NOT NULL, revision int NOT NULL, body text NOT NULL, body_html text NOT NULL,
            written_at timestamptz NOT NULL, PRIMARY KEY (post_id, revision))""",
        """CREATE TABLE IF NOT EXISTS votes (
            vote_id uuid PRIMARY KEY, post_id uuid NOT NULL, voter_id uuid NOT NULL, active boolean NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS votes_post ON votes (post_id) WHERE active",
        """CREATE TABLE IF NOT EXISTS reports (
            report_id uuid PRIMARY KEY, post_id uuid NOT NULL, reporter_id uuid NOT NULL, reason text NOT NULL,
            status text NOT NULL, filed_at timestamptz NOT NULL, closed_at timestamptz)""",
        "CREATE INDEX IF NOT EXISTS reports_open ON reports (post_id) WHERE status = 'open'",
        """CREATE TABLE IF NOT EXISTS suspensions (
            forum_id uuid NOT NULL, user_id uuid NOT NULL, until timestamptz NOT NULL, reason text NOT NULL,
            PRIMARY KEY (forum_id, user_id))""",
    ],
)


@forum.on
def forum_created(cur: psycopg.Cursor, e: Forum.Created) -> None:
    cur.execute(
        "INSERT INTO forums (forum_id, scope, scope_id, title, description, allow_anonymous, language, ts_config,"
        " created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s::regconfig, %s) ON CONFLICT DO NOTHING",
        (e.originator_id, e.scope, e.scope_id, e.title, e.description, e.allow_anonymous, e.language,
         config_for(e.language), e.timestamp),
    )


@forum.on
def category_added(cur: psycopg.Cursor, e: Forum.CategoryAdded) -> None:
    cur.execute("INSERT INTO categories (category_id, forum_id, name) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (e.category_id, e.originator_id, e.name))


@forum.on
def thread_started(cur: psycopg.Cursor, e: Thread.Started) -> None:
    """The opening post (Post.Written, same command) fills in status and anonymity."""
    cur.execute(
        "INSERT INTO threads (thread_id, forum_id, category_id, author_id, kind, title, tags, anonymous, status,"
        " opening_post_id, created_at, last_activity_at) VALUES (%s, %s, %s, %s, %s, %s, %s, false, 'visible',"
        " %s, %s, %s) ON CONFLICT DO NOTHING",
        (e.originator_id, e.forum_id, e.category_id, e.author_id, e.kind, e.title, e.tags, e.opening_post_id,
         e.timestamp, e.timestamp),
    )


@forum.on
def thread_flag(cur: psycopg.Cursor, e: Thread.Locked | Thread.Unlocked | Thread.Pinned | Thread.Unpinned) -> None:
    column = "locked" if isinstance(e, Thread.Locked | Thread.Unlocked) else "pinned"
    value = isinstance(e, Thread.Locked | Thread.Pinned)
    cur.execute(f"UPDATE threads SET {column} = %s WHERE thread_id = %s", (value, e.originator_id))


@forum.on
def thread_moved(cur: psycopg.Cursor, e: Thread.Moved) -> None:
    cur.execute("UPDATE threads SET forum_id = %s, category_id = %s WHERE thread_id = %s",
                (e.forum_id, e.category_id, e.originator_id))
    cur.execute("UPDATE posts SET forum_id = %s, ts_config = (SELECT ts_config FROM forums WHERE forum_id = %s)"
                " WHERE thread_id = %s", (e.forum_id, e.forum_id, e.originator_id))


@forum.on
def answer_accepted(cur: psycopg.Cursor, e: Thread.AnswerAccepted | Thread.AnswerUnaccepted) -> None:
    accepted = e.post_id if isinstance(e, Thread.AnswerAccepted) else None
    cur.execute("UPDATE threads SET accepted_post_id = %s WHERE thread_id = %s", (accepted, e.originator_id))


@forum.on
def author_erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    """A person's titles, posts, their earlier versions and report reasons go with them; links
    of others' mentions of them go."""
    cur.execute("UPDATE threads SET title = %s WHERE author_id = %s", (ERASED, e.originator_id))
    cur.execute("UPDATE revisions r SET body = %s, body_html = %s FROM posts p"
                " WHERE p.post_id = r.post_id AND p.author_id = %s", (ERASED, f"<p>{ERASED}</p>", e.originator_id))
    cur.execute("UPDATE posts SET body = %s, body_html = %s, search = NULL WHERE author_id = %s",
                (ERASED, f"<p>{ERASED}</p>", e.originator_id))
    cur.execute("UPDATE reports SET reason = %s WHERE reporter_id = %s", (ERASED, e.originator_id))
    # Others' mentions of them stay the others' words, no longer a link to the person.
    unlink = (r'<a href="' + person_link(e.originator_id) + r'"[^>]*>([^<]*)</a>', r"\1", "g")
    cur.execute("UPDATE posts SET body_html = regexp_replace(body_html, %s, %s, %s)"
                " WHERE mentioned_ids @> ARRAY[%s::uuid]", (*unlink, e.originator_id))
    cur.execute("UPDATE revisions SET body_html = regexp_replace(body_html, %s, %s, %s) WHERE body_html LIKE %s",
                (*unlink, f"%{person_link(e.originator_id)}%"))
    # Which threads they read (operational state in public.forum_reads) goes too.
    cur.execute("DELETE FROM forum_reads WHERE user_id = %s", (e.originator_id,))
