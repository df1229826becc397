"""The OULAD history loaded, its read model rebuilt, the reports timed, the at-risk signal checked.

    .venv/bin/python -m bench.oulad_import [--presentations AAA-2013J ...] [--learners N] [--queries 20]
                                           [--database URL]

On a fresh database (embedded server, or BENCH_DATABASE_URL / DATABASE_URL): imports
../shared/datasets/oulad through `workers.oulad.loader.load_oulad` (the path of `skillhub demo
load --oulad`), rebuilds the `progress` read model (and catalog, for the funnel's lesson names, and
the gradebook, which counts the imported results),
times each report query --queries times over the presentations (p50/p99), and prints the
at-risk precision and recall on day 30, 60 and 90 against the recorded final results. With
`--database URL` (a history kept by `bench.dashboards --keep`) it skips the import.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from adapters.infrastructure import Infrastructure, open_infrastructure
from bench.common import (
    Measurement,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
)
from commands.analytics.history_import import imported_id
from projections.analytics import progress, progress_queries, reports
from projections.catalog.catalog import catalog
from projections.certification.gradebook import gradebook
from projections.engine.rebuild import rebuild
from workers.oulad.at_risk_check import by_reason, flags_on_days, precision_recall
from workers.oulad.dataset import DEFAULT_FOLDER, Slice, read_oulad
from workers.oulad.loader import load_oulad
from workers.startup import prepare

FOLDER = Path(__file__).resolve().parents[1] / DEFAULT_FOLDER


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--presentations", nargs="*", default=(), help="only these, e.g. AAA-2013J (default: all 22)")
    p.add_argument("--learners", type=int, default=None, help="at most this many learners per presentation")
    p.add_argument("--queries", type=int, default=20, help="calls of each report query")
    p.add_argument("--batch-size", type=int, default=2000, help="events per rebuild batch")
    p.add_argument("--database", help="a database loaded and kept by an earlier run (no import)")
    return p.parse_args()


def time_calls(name: str, calls: int, fn: Callable[[int], Any]) -> Measurement:
    latencies = []
    began = time.perf_counter()
    for i in range(calls):
        t0 = time.perf_counter()
        fn(i)
        latencies.append(time.perf_counter() - t0)
    return Measurement(name, calls, time.perf_counter() - began, latencies)


@contextmanager
def oulad_loaded(scratch_prefix: str, part: Slice, keep: bool = False, loaded_url: str | None = None
                 ) -> Iterator[Infrastructure]:
    """A fresh database with the OULAD slice imported through the command layer (the import timed),
    dropped at the end unless `keep`; or, with `loaded_url`, a database loaded so before (kept), as it is."""
    tmp, server, source = bench_server(scratch_prefix)
    print(f"{describe_machine()}\n{source}\n", flush=True)
    if loaded_url is not None:
        infra = open_infrastructure(bench_settings(tmp), loaded_url)
        prepare(infra)
        try:
            yield infra
        finally:
            infra.close()
        return
    with fresh_database(server, keep) as url:
        infra = open_infrastructure(bench_settings(tmp), url)
        prepare(infra)
        try:
            loaded = load_oulad(infra, FOLDER, part)
            print(f"import: {loaded.presentations} presentations, {loaded.registrations:,} registrations,"
                  f" {loaded.results:,} results -> {loaded.events:,} events in {loaded.seconds:.1f} s"
                  f" ({loaded.events / loaded.seconds:,.0f} events/s)", flush=True)
            yield infra
        finally:
            infra.close()


def main() -> None:
    args = parse_args()
    part = Slice(tuple(args.presentations), args.learners)
    with oulad_loaded("skillhub-bench-oulad-", part, loaded_url=args.database) as infra:
        for projection in (progress, catalog, gradebook):
            r = rebuild(infra.pool, infra.store, projection, args.batch_size)
            print(f"rebuild {projection.name}: {r.events_applied:,} events in {r.seconds:.1f} s"
                  f" ({r.events_applied / r.seconds:,.0f} events/s)", flush=True)
        queries(infra.pool, read_oulad(FOLDER, part), args.queries)
        check_at_risk(infra.pool, read_oulad(FOLDER, part))


def queries(pool: Any, data: Any, calls: int) -> None:
    rnd = random.Random(11)
    courses = [(imported_id("course", c["key"]), c["start"]) for c in data.courses.to_dicts()]
    students = [imported_id("learner", s) for s in data.registrations["id_student"].unique().sort().to_list()]
    pick = lambda: courses[rnd.randrange(len(courses))]  # noqa: E731
    last_month = (max(start for _, start in courses) + timedelta(days=int(data.courses["length"].max()) - 30)).date()
    print(f"\nreport queries, {calls} calls each (random presentations):")
    runs = [
        ("engagement per day", lambda i: reports.engagement(pool, pick()[0], "day", None, None)),
        ("engagement per week", lambda i: reports.engagement(pool, pick()[0], "week", None, None)),
        ("funnel", lambda i: reports.funnel(pool, (c := pick()[0]), reports.course_steps(pool, c))),
        ("quiz performance per week", lambda i: reports.quiz_performance(pool, pick()[0], "week")),
        ("at risk on day 60", lambda i: reports.students_at_risk(pool, (c := pick())[0], c[1] + timedelta(days=60))),
        ("course popularity", lambda i: reports.popularity(pool)),
        ("platform usage (totals + last 30 days of it)", lambda i: (reports.platform_totals(pool),
                                                                    reports.platform_daily(pool, last_month))),
        ("student overview", lambda i: progress_queries.overview(pool, students[rnd.randrange(len(students))],
                                                                 datetime.now(UTC))),
    ]
    for name, fn in runs:
        print("  " + time_calls(name, calls, fn).line("calls/s"), flush=True)


def check_at_risk(pool: Any, data: Any) -> None:
    flags = flags_on_days(pool, data, (30, 60, 90))
    with pl.Config(tbl_rows=40, tbl_cols=20, tbl_width_chars=200):
        print("\nat-risk signal vs final result (Withdrawn or Fail), from what was known on each day:")
        print(precision_recall(flags))
        print(by_reason(flags))


if __name__ == "__main__":
    main()
