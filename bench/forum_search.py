"""Forum search latency over many posts, and posting throughput with concurrent writers.

    .venv/bin/python -m bench.forum_search [--posts 1000000] [--forums 3000] [--queries 200]
                                           [--writers 50] [--posts-per-writer 40]

1. Search: fills the forum read model with `--posts` posts in bulk (bench/forum_seed.py: rows
   made inside PostgreSQL, the shapes and search vectors the projection writes), then times
   projections.forum.search_queries.search_posts (what GET /api/v1/forum/search runs after it
   has found the caller's forums) for typical searches, one after another: p50/p99 per kind.
   Each query is page 1 and, when there is one, page 2 by cursor. With `--former-queries N`
   (N > 0) each kind is also timed with the search as it was before the rank window
   (bench/forum_search_former.py), on the same rows in the same run.
2. Writes: `--writers` threads each post `--posts-per-writer` replies through the command
   handler (commands.forum.posting.reply: access check, rate limit, group commit) into a
   platform forum while the forum projection runs; reports posts/s, command latency, and the
   projection lag (log head minus the read model's position) sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import threading
import time
import uuid
from collections.abc import Callable

from adapters.infrastructure import open_infrastructure
from bench.common import (
    Measurement,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
    percentile,
    run_concurrently,
)
from bench.forum_search_former import former_search_posts
from bench.forum_seed import WORDS, seed
from commands.forum import forums as forum_commands
from commands.forum import posting
from commands.pipeline import Actor, deps_for, execute
from domain.forum import Scope
from projections.engine.tracking import log_head, position_of
from projections.forum import forum
from projections.forum.search_queries import PostFilter, search_posts
from workers.runtime import start_projection_runners
from workers.startup import prepare

FORMER = ", former"  # the same queries (same random draws) with the former search


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--posts", type=int, default=1_000_000)
    p.add_argument("--forums", type=int, default=3000)
    p.add_argument("--queries", type=int, default=200, help="queries per kind")
    p.add_argument("--writers", type=int, default=50)
    p.add_argument("--posts-per-writer", type=int, default=40)
    p.add_argument("--former-queries", type=int, default=0,
                   help="queries per kind with the former search (every match ranked), for comparison")
    p.add_argument("--readers", choices=["student", "both"], default="both",
                   help="search as a student (12 forums) only, or also as a moderator (all course and platform forums)")
    return p.parse_args(argv)


def forum_ids(pool, scopes: tuple[str, ...]) -> list[uuid.UUID]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT forum_id FROM view_forum.forums WHERE scope = ANY(%s)", (list(scopes),)).fetchall()
    return [r["forum_id"] for r in rows]


def person(n: int) -> uuid.UUID:
    """The id bench/forum_seed.py gives its n-th author."""
    return uuid.UUID(hashlib.md5(f"person{n}".encode()).hexdigest())


def scenarios(student: list[uuid.UUID]) -> dict[str, Callable[[random.Random], PostFilter]]:
    def word(r: random.Random, lo: int, hi: int) -> str:
        return f"w{r.randrange(lo, hi)}"

    return {
        "common word (top 10)": lambda r: PostFilter(word(r, 0, 10)),
        "mid word (rank 500-2000)": lambda r: PostFilter(word(r, 500, 2000)),
        "rare word (rank > 15000)": lambda r: PostFilter(word(r, 15000, WORDS)),
        "two words": lambda r: PostFilter(f"{word(r, 0, 200)} {word(r, 0, 2000)}"),
        "word + one forum": lambda r: PostFilter(word(r, 0, 200), forum_id=r.choice(student)),
        "word + tag": lambda r: PostFilter(word(r, 0, 200), tag=f"tag{r.randrange(200)}"),
        "word + answered": lambda r: PostFilter(word(r, 0, 200), answered=True),
        "word + author": lambda r: PostFilter(word(r, 0, 50), author_id=person(r.randrange(50000))),
    }


def measure_search(pool, name: str, readable: list[uuid.UUID], make, queries: int,
                   search=search_posts) -> tuple[Measurement, float]:
    rng, latencies, found, me = random.Random(name.removesuffix(FORMER)), [], 0, uuid.uuid4()
    t0 = time.perf_counter()
    for _ in range(queries):
        f = make(rng)
        started = time.perf_counter()
        page = search(pool, me, readable, [], f, limit=20, cursor=None)
        if page["next_cursor"]:
            search(pool, me, readable, [], f, limit=20, cursor=page["next_cursor"])
        latencies.append(time.perf_counter() - started)
        found += len(page["items"])
    return Measurement(name, queries, time.perf_counter() - t0, latencies), found / queries


def measure_writes(infra, writers: int, per_writer: int) -> None:
    deps = deps_for(infra)
    moderator = Actor(user_id=uuid.uuid4(), roles=frozenset({"moderator"}))
    forum_id = execute(forum_commands.create_forum, forum_commands.CreateForum(
        scope=Scope.PLATFORM, title="Bench"), moderator, deps).data["forum_id"]
    people = [Actor(user_id=uuid.uuid4(), roles=frozenset({"student"})) for _ in range(writers)]
    threads = [execute(posting.start_thread, posting.StartThread(forum_id=forum_id, title=f"thread {i}", body="start"),
                       people[i], deps).data["thread_id"] for i in range(writers)]
    workers = start_projection_runners(infra, [forum])
    lags: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            lags.append(log_head(infra.pool) - position_of(infra.pool, forum))

    def write(i: int) -> None:
        who = i % writers
        execute(posting.reply, posting.Reply(thread_id=threads[(i * 7) % writers], body=f"reply {i} w{i % 977}"),
                people[who], deps)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    m = run_concurrently(f"reply, {writers} concurrent writers", write, writers * per_writer, writers)
    head, t0 = log_head(infra.pool), time.perf_counter()
    while position_of(infra.pool, forum) < head:
        time.sleep(0.01)
    drain = time.perf_counter() - t0
    stop.set()
    sampler.join()
    workers.shutdown()
    print(m.line("posts/s"))
    lags.sort()
    print(f"projection lag during the run (events): p50 {percentile(lags, 50):.0f}, p99 {percentile(lags, 99):.0f},"
          f" max {lags[-1] if lags else 0}; caught up {drain * 1000:.0f} ms after the last post", flush=True)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# forum benchmark\n{describe_machine()}\ndatabase: {database}\n", flush=True)
    with fresh_database(server) as url:
        infra = open_infrastructure(bench_settings(tmp / "data", forum_posts_per_window=10**9), url)
        try:
            prepare(infra)
            timings = seed(url, args.posts, args.forums)
            print(f"seeded {args.posts:,} posts in {args.forums:,} forums: "
                  + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()), flush=True)
            rng = random.Random(1)
            student = rng.sample(forum_ids(infra.pool, ("course", "class", "platform")), 12)
            moderator = forum_ids(infra.pool, ("course", "platform"))
            readers = [(f"student ({len(student)} forums)", student), (f"moderator ({len(moderator):,} forums)", moderator)]
            for reader, readable in readers[:1 if args.readers == "student" else 2]:
                print(f"\n## {reader}: each query = page 1 (20 hits) and page 2 by cursor when there is one")
                for name, make in scenarios(student).items():
                    m, per_page = measure_search(infra.pool, name, readable, make, args.queries)
                    print(m.line("queries/s") + f"  ({per_page:.1f} hits on page 1)", flush=True)
                    if args.former_queries:
                        m, per_page = measure_search(infra.pool, name + FORMER, readable, make,
                                                     args.former_queries, former_search_posts)
                        print(m.line("queries/s") + f"  ({per_page:.1f} hits on page 1)", flush=True)
                print(describe_machine(), flush=True)
            print(f"\n## writes: {args.writers} writers x {args.posts_per_writer} replies")
            measure_writes(infra, args.writers, args.posts_per_writer)
        finally:
            infra.close()
    print(f"\n{describe_machine()}")


if __name__ == "__main__":
    main()
