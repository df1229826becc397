"""Catalog search latency with many published courses.

    .venv/bin/python -m bench.catalog_search [--courses 10000] [--enrolments 20000] [--queries 300]

Writes the courses' events in bulk (bench/catalog_events.py) to a fresh database (embedded
server, or BENCH_DATABASE_URL / DATABASE_URL), brings the catalog projection up to date with
the batched engine, then times projections.catalog.queries.search_courses (what
GET /api/v1/courses runs) for typical searches, one after another: p50/p99 per kind.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

import psycopg

from adapters.infrastructure import open_infrastructure
from bench.catalog_events import FILLER, TOPICS, load_catalog
from bench.common import (
    Measurement,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
)
from projections.catalog.catalog import catalog
from projections.catalog.queries import CourseFilter, search_courses
from projections.engine.engine import apply_batch
from workers.startup import prepare


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--courses", type=int, default=10_000)
    p.add_argument("--enrolments", type=int, default=20_000)
    p.add_argument("--queries", type=int, default=300, help="queries per kind")
    p.add_argument("--limit", type=int, default=20, help="page size")
    return p.parse_args(argv)


def scenarios(data: dict[str, Any]) -> dict[str, Callable[[random.Random], tuple[CourseFilter, str | None]]]:
    common, rare = TOPICS[:3], TOPICS[-20:]
    return {
        "text, common word (relevance)": lambda r: (CourseFilter(text=r.choice(common)), None),
        "text, rare word (relevance)": lambda r: (CourseFilter(text=r.choice(rare)), None),
        "text, two words (relevance)": lambda r: (CourseFilter(text=f"{r.choice(TOPICS)} {r.choice(FILLER)}"), None),
        "text + level + language": lambda r: (CourseFilter(text=r.choice(TOPICS), level="beginner", language="en"), None),
        "text + category (sub-tree)": lambda r: (
            CourseFilter(text=r.choice(TOPICS), category_id=r.choice(data["top_categories"])), None),
        "category (sub-tree), newest": lambda r: (CourseFilter(category_id=r.choice(data["top_categories"])), "newest"),
        "tag, popular": lambda r: (CourseFilter(tag=r.choice(TOPICS)), "popular"),
        "all, newest": lambda r: (CourseFilter(), "newest"),
        "all, popular": lambda r: (CourseFilter(), "popular"),
        "all, title": lambda r: (CourseFilter(), "title"),
    }


def measure(pool: Any, name: str, make: Callable, queries: int, limit: int) -> tuple[Measurement, float]:
    rng, latencies, found = random.Random(name), [], 0
    t0 = time.perf_counter()
    for _ in range(queries):
        f, sort = make(rng)
        started = time.perf_counter()
        page = search_courses(pool, f, sort=sort, limit=limit, cursor=None)
        if page["next_cursor"]:  # and the second page, as a reader scrolling on would
            search_courses(pool, f, sort=sort, limit=limit, cursor=page["next_cursor"])
        latencies.append(time.perf_counter() - started)
        found += len(page["items"])
    return Measurement(name, queries, time.perf_counter() - t0, latencies), found / queries


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# catalog search benchmark\n{describe_machine()}")
    print(f"database: {database}\n", flush=True)
    with fresh_database(server) as url:
        infra = open_infrastructure(bench_settings(tmp / "data"), url)
        try:
            prepare(infra)
            data = load_catalog(infra.store, args.courses, args.enrolments)
            print(f"wrote {data['events']:,} events ({args.courses:,} published courses,"
                  f" {args.enrolments:,} enrolments) in {data['seconds']:.1f} s", flush=True)
            t0, applied, position, head = time.perf_counter(), 0, 0, 1
            while position < head:
                n, position, head = apply_batch(infra.pool, infra.store, catalog, 1000)
                applied += n
            seconds = time.perf_counter() - t0
            print(f"catalog projection: {applied:,} events in {seconds:.1f} s ({applied / seconds:,.0f} events/s)")
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE view_catalog.courses")
            print(f"\neach query = page 1 (limit {args.limit}) and, when there is one, page 2 by cursor")
            for name, make in scenarios(data).items():
                m, per_page = measure(infra.pool, name, make, args.queries, args.limit)
                print(m.line("queries/s") + f"  ({per_page:.1f} hits on page 1)", flush=True)
        finally:
            infra.close()
    print(f"\n{describe_machine()}")


if __name__ == "__main__":
    main()
