"""Bulk rows for the forum search benchmark, generated inside PostgreSQL.

Writing a million posts through commands and the projection would take hours on a small
machine and measure the write path, which bench/forum_search.py measures separately. The
search only reads `view_forum`, so the rows are made with `INSERT ... SELECT generate_series`
in the shapes the projection writes: forums (course, class and platform), threads, posts
with synthetic words drawn with a skewed (Zipf-like) frequency, their search vectors computed
by PostgreSQL exactly as the projection computes them (title weight A in opening posts, body B);
the GIN index is dropped during the load and built once at the end.
"""

from __future__ import annotations

import time

import psycopg

WORDS = 20_000  # vocabulary: w0 is the most frequent word, w19999 among the rarest
POSTS_PER_THREAD = 10

_WORD = f"'w' || floor({WORDS} * power(random(), 3))::int"  # skewed: low numbers are common


def _words(n: int) -> str:
    return f"(SELECT string_agg({_WORD}, ' ') FROM generate_series(1, {n}) WHERE g.i IS NOT NULL)"


def seed(url: str, posts: int, forums: int) -> dict[str, float]:
    """Fill view_forum with `posts` posts in `forums` forums; returns timings."""
    threads = max(1, posts // POSTS_PER_THREAD)
    timings: dict[str, float] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        t0 = time.perf_counter()
        conn.execute(
            "INSERT INTO view_forum.forums (forum_id, scope, scope_id, title, description, allow_anonymous,"
            " language, ts_config, created_at)"
            " SELECT md5('forum' || i)::uuid, (ARRAY['course', 'class', 'platform'])[1 + i %% 3],"
            "  md5('scope' || i)::uuid, 'forum ' || i, '', i %% 2 = 0, 'en', 'english', now()"
            " FROM generate_series(1, %s) i", (forums,))
        conn.execute(
            f"INSERT INTO view_forum.threads (thread_id, forum_id, author_id, kind, title, tags, anonymous, status,"
            f" opening_post_id, accepted_post_id, reply_count, votes, created_at, last_activity_at)"
            f" SELECT md5('thread' || g.i)::uuid, md5('forum' || (1 + g.i % {forums}))::uuid,"
            f"  md5('person' || (g.i % 50000))::uuid, CASE WHEN g.i % 2 = 0 THEN 'question' ELSE 'discussion' END,"
            f"  {_words(6)}, ARRAY['tag' || (g.i % 200)], g.i % 10 = 0,"
            f"  CASE WHEN g.i % 100 = 0 THEN 'hidden' ELSE 'visible' END, md5('post' || g.i || '-0')::uuid,"
            f"  CASE WHEN g.i % 4 = 0 THEN md5('post' || g.i || '-1')::uuid END, {POSTS_PER_THREAD - 1},"
            f"  g.i % 7, now() - make_interval(secs => g.i), now() - make_interval(secs => g.i)"
            f" FROM generate_series(1, {threads}) g(i)")
        timings["forums and threads"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        conn.execute("DROP INDEX view_forum.posts_search")  # built once at the end: far faster than row by row
        batch = 100_000 // POSTS_PER_THREAD
        for first in range(1, threads + 1, batch):
            conn.execute(
                f"INSERT INTO view_forum.posts (post_id, thread_id, forum_id, author_id, parent_id, path, depth,"
                f" is_opening, body, body_html, anonymous, status, mentioned_ids, votes, created_at, ts_config, search)"
                f" SELECT md5('post' || t.i || '-' || n)::uuid, md5('thread' || t.i)::uuid,"
                f"  md5('forum' || (1 + t.i % {forums}))::uuid, md5('person' || ((t.i + n) % 50000))::uuid,"
                f"  CASE WHEN n > 0 THEN md5('post' || t.i || '-0')::uuid END, lpad(n::text, 12, '0') || '/',"
                f"  least(n, 1), n = 0, g.body, '<p>' || g.body || '</p>', t.i % 10 = 0,"
                f"  CASE WHEN (t.i * 10 + n) % 200 = 0 THEN 'hidden' ELSE 'visible' END, '{{}}', n % 5,"
                f"  now() - make_interval(secs => t.i * 10 + n), 'english', setweight(to_tsvector('english', g.body), 'B')"
                f" FROM generate_series({first}, {min(threads, first + batch - 1)}) t(i),"
                f"  generate_series(0, {POSTS_PER_THREAD - 1}) n, LATERAL (SELECT {_words(30)} AS body) g"
                .replace("WHERE g.i IS NOT NULL", "WHERE t.i + n IS NOT NULL"))
        timings["posts"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        conn.execute(
            "UPDATE view_forum.posts p SET search = setweight(to_tsvector('english', t.title), 'A') || p.search"
            " FROM view_forum.threads t WHERE t.thread_id = p.thread_id AND p.is_opening")
        conn.execute("CREATE INDEX posts_search ON view_forum.posts USING gin (search)")
        conn.execute("VACUUM ANALYZE view_forum.posts")
        conn.execute("VACUUM ANALYZE view_forum.threads")
        timings["search vectors and indexes"] = time.perf_counter() - t0
    return timings
