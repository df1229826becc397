"""Appends per second through EventStore.record at 1, 16 and 64 concurrent writers, with the read
models' followers running, against raw single-row INSERT + COMMIT of a row of the same size into
a scratch table of the same database, at the same concurrency, in the same run.

    .venv/bin/python -m bench.append_rate [--writers 1 16 64] [--count 2000] [--raw-count 5000] [--repeat 1]
                                          [--pool-size 20] [--also-without-followers]

An append is one `store.record(tick)` of a new `Tick`, a tiny aggregate of this module (one
event, a 200-character note, no personal data) that no read model consumes: what is measured is
the store's write path (the table lock, the insert, the NOTIFY, the connection pool) and what
the followers cost it while they wake up for events they skip. The scratch table has the
events table's columns and keys (id, originator id and version unique, topic, state) and each
row carries a state as long as a Tick's; every raw writer has its own connection, the store's
writers share its pool (`--pool-size`, plus as many overflow connections).
With `--also-without-followers` the appends are measured once more before the followers start.

A fresh database on the embedded server (or BENCH_DATABASE_URL / DATABASE_URL), dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import threading
from pathlib import Path
from uuid import uuid4

import psycopg

from adapters.events.event_store import EVENTS_TABLE
from adapters.infrastructure import Infrastructure, open_infrastructure
from bench.assessment import wait_caught_up
from bench.common import (
    Measurement,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
    run_concurrently,
)
from bench.machine_load import CpuMeter, load_line
from domain.event_conventions import Cause, Root, caused_by
from projections.registry import ALL
from workers.runtime import start_projection_runners
from workers.startup import prepare

NOTE = "x" * 200
SCRATCH_DDL = (
    "CREATE TABLE IF NOT EXISTS bench_append_scratch ("
    " id bigserial PRIMARY KEY, originator_id uuid NOT NULL, originator_version int NOT NULL,"
    " topic text NOT NULL, state bytea NOT NULL, UNIQUE (originator_id, originator_version))"
)


class Tick(Root):
    """One event that no read model reads."""

    class Created(Root.Created):
        note: str

        def apply(self, t: Tick) -> None:
            t.note = self.note

    @classmethod
    def new(cls) -> Tick:
        return cls._create(cls.Created, id=uuid4(), note=NOTE)


def record_tick(infra: Infrastructure) -> None:
    with caused_by(Cause(None, uuid4())):
        tick = Tick.new()
    infra.store.record(tick)


def tick_row(url: str) -> tuple[str, bytes]:
    """The topic and state of a recorded Tick, to give the raw rows the same size."""
    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT topic, state FROM {EVENTS_TABLE} WHERE topic LIKE %s LIMIT 1", ("%Tick%",)).fetchone()
    return row[0], bytes(row[1])


def raw_inserts(url: str, topic: str, state: bytes, count: int, writers: int, label: str) -> Measurement:
    """Single-row INSERT + COMMIT, one connection per writer (bench.ceilings does the same with a
    10-byte row; here the row is an event's)."""
    local, opened, lock = threading.local(), [], threading.Lock()

    def setup() -> None:
        local.conn = psycopg.connect(url)
        with lock:
            opened.append(local.conn)

    def op(i: int) -> None:
        local.conn.execute("INSERT INTO bench_append_scratch (originator_id, originator_version, topic, state)"
                           " VALUES (%s, 1, %s, %s)", (uuid4(), topic, state))
        local.conn.commit()

    try:
        return run_concurrently(f"raw INSERT+COMMIT, {writers} writers{label}", op, count, writers, setup)
    finally:
        for conn in opened:
            conn.close()


def appends(infra: Infrastructure, count: int, writers: int, label: str) -> Measurement:
    return run_concurrently(f"EventStore.record, {writers} writers{label}", lambda i: record_tick(infra), count, writers)


def report(m: Measurement, meter: CpuMeter) -> None:
    print(m.line("appends/s"), flush=True)
    for line in meter.lines(m.name, own="benchmark process"):
        print(line, flush=True)


def run(url: str, data_dir: Path, args: argparse.Namespace) -> None:
    infra = open_infrastructure(bench_settings(data_dir, db_pool_size=args.pool_size), url)
    workers = None
    try:
        prepare(infra)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(SCRATCH_DDL)
        run_concurrently("warm-up", lambda i: record_tick(infra), 64, 16)
        topic, state = tick_row(url)
        print(f"  a Tick: {len(state)} bytes of state, topic {topic}; store pool {args.pool_size}"
              f" + {args.pool_size} overflow connections", flush=True)
        if args.also_without_followers:
            print("\n## without followers", flush=True)
            for writers in args.writers:
                meter = CpuMeter().start()
                report(appends(infra, args.count, writers, ", no followers"), meter)
        workers = start_projection_runners(infra)
        print("\n## with the followers of every read model running", flush=True)  # same header in every tree
        print(f"  {len(ALL)} read models; followers caught up {wait_caught_up(infra.pool):.2f} s after they started",
              flush=True)
        for r in range(args.repeat):
            run_label = f" (run {r + 1})" if args.repeat > 1 else ""
            for writers in args.writers:
                meter = CpuMeter().start()
                report(raw_inserts(url, topic, state, args.raw_count, writers, run_label), meter)
                meter = CpuMeter().start()
                report(appends(infra, args.count, writers, run_label), meter)
                print(f"  followers caught up {wait_caught_up(infra.pool):.2f} s after the last append", flush=True)
    finally:
        if workers is not None:
            workers.shutdown()
        infra.close()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--writers", type=int, nargs="+", default=[1, 16, 64], help="concurrent writers (threads)")
    p.add_argument("--count", type=int, default=2000, help="appends per measurement")
    p.add_argument("--raw-count", type=int, default=5000, help="raw inserts per measurement (they are faster)")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--pool-size", type=int, default=20, help="SKILLHUB_DB_POOL_SIZE (the store's pool)")
    p.add_argument("--also-without-followers", action="store_true")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# append rate benchmark\n{describe_machine()}\n{load_line('start')}")
    print(f"database: {database}; {args.count} appends and {args.raw_count}"
          f" raw inserts per measurement,"
          f" writers {args.writers}, {os.cpu_count()} CPUs", flush=True)
    with fresh_database(server) as url:
        run(url, tmp, args)
    print(f"\n{load_line('end')}")


if __name__ == "__main__":
    # Run as bench.append_rate, not __main__: Tick's events are then stored under a topic any
    # process can resolve.
    from bench import append_rate

    append_rate.main()
