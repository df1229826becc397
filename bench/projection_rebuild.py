"""Rebuild of the identity projection from a large log, and where its time goes.

    .venv/bin/python -m bench.projection_rebuild [--events 1000000] [--batch-size 5000] [--repeat 2]
        [--one-by-one] [--profile]

Writes at least --events identity events in bulk to a fresh database (embedded server, or
BENCH_DATABASE_URL / DATABASE_URL), then times, each --repeat times: a plain SELECT of the whole
events table, the engine's batch queries alone, store.decode_many alone, and
projections.engine.rebuild.rebuild of the identity projection, and prints the rebuild's rate over the
decode-only rate (issue 10's aim: at least 0.5). The machine's load is printed before and after.
The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager

from adapters.events.event_store import EventStore
from adapters.infrastructure import Infrastructure, open_infrastructure
from adapters.settings import Settings
from bench import log_reading, rebuild_variants
from bench.common import (
    Measurement,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
)
from bench.identity_events import load_history
from bench.machine_load import CpuMeter, load_line
from projections.engine.rebuild import REBUILD_BATCH_SIZE, rebuild
from projections.identity.identity import identity
from workers.startup import prepare


def report(m: Measurement, unit: str, extra: str = "") -> None:
    print(m.line(unit) + extra, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=1_000_000, help="at least this many events are written")
    p.add_argument("--batch-size", type=int, default=REBUILD_BATCH_SIZE,
                   help="events per batch of the reads, the decoding and the rebuild (default: the rebuild's)")
    p.add_argument("--insert-batch", type=int, default=1000, help="events per insert transaction")
    p.add_argument("--insert-with", choices=["copy", "recorder"], default="copy",
                   help="COPY (default, faster) or the store's recorder.insert_events")
    p.add_argument("--load-threads", type=int, default=4, help="threads generating and inserting events")
    p.add_argument("--repeat", type=int, default=1, help="run every measurement this many times")
    p.add_argument("--one-by-one", action="store_true",
                   help="also rebuild the old way (bench/rebuild_variants.py): every handler statement alone,"
                        f" {Settings.model_fields['projection_batch_size'].default} events per batch")
    p.add_argument("--profile", action="store_true", help="profile the rebuild with pyinstrument (its main thread)")
    return p.parse_args(argv)


def load(store: EventStore, secret_key: str, url: str, args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    loaded = load_history(store, secret_key, args.events, args.insert_batch, threads=args.load_threads,
                          use_recorder=args.insert_with == "recorder")
    wall = time.perf_counter() - t0
    print(f"wrote {loaded.events:,} events ({loaded.people:,} people) in {wall:.1f} s"
          f" ({loaded.events / wall:,.0f} events/s; summed over {args.load_threads} threads:"
          f" generate+map {loaded.generate_seconds:.1f} s, insert ({args.insert_with}) {loaded.insert_seconds:.1f} s)")
    print(f"VACUUM (ANALYZE) of the events table: {log_reading.vacuum_analyze(url):.1f} s")
    rows, size = log_reading.table_size(url)
    print(f"events table: {rows:,} rows, {size / 1e6:,.0f} MB on disk with indexes\n", flush=True)


def measure(infra: Infrastructure, url: str, args: argparse.Namespace, run: int) -> None:
    pool, store, label = infra.pool, infra.store, f" (run {run})"
    scan, mb_per_s = log_reading.raw_scan(url, label)
    report(scan, "rows/s", f"  {mb_per_s:,.1f} MB/s")
    report(log_reading.engine_reads(pool, identity, args.batch_size, label), "rows/s")
    decoded, lookups = log_reading.decode_only(pool, store, identity, args.batch_size, label)
    report(decoded, "events/s", f"  ({lookups:,} key queries)")
    meter = CpuMeter().start()
    with profiled(args.profile):
        r = rebuild(pool, store, identity, args.batch_size)
    rate = r.events_applied / r.seconds
    report(Measurement(f"rebuild identity, {args.batch_size}/batch{label}", r.events_applied, r.seconds),
           "events/s", f"  ({r.position / r.seconds:,.0f} log positions/s)")
    print("\n".join(meter.lines(f"rebuild{label}", own="rebuild process")))
    print(f"rebuild / decode-only{label} = {rate / decoded.rate:.2f} (aim: at least 0.50)", flush=True)
    baseline = log_reading.read_model_digest(pool, identity)
    print(f"  read model: {baseline}", flush=True)
    if not args.one_by_one:
        return
    batch = Settings.model_fields["projection_batch_size"].default
    with rebuild_variants.statements_one_by_one():
        r = rebuild(pool, store, identity, batch)
    same = "identical" if log_reading.read_model_digest(pool, identity) == baseline else "DIFFERENT"
    report(Measurement(f"rebuild, statements one by one, {batch}/batch{label}", r.events_applied, r.seconds),
           "events/s", f"  (read model {same})")


@contextmanager
def profiled(on: bool) -> Iterator[None]:
    if not on:
        yield
        return
    from pyinstrument import Profiler

    profiler = Profiler()
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False), flush=True)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# projection rebuild benchmark\n{describe_machine()}\n{load_line('start')}")
    print(f"database: {database}\n", flush=True)
    with fresh_database(server) as url:
        settings = bench_settings(tmp / "data", db_pool_size=max(10, args.load_threads + 2))
        infra = open_infrastructure(settings, url)
        try:
            prepare(infra)
            load(infra.store, settings.resolved_secret_key(), url, args)
            for run in range(1, args.repeat + 1):
                measure(infra, url, args, run)
        finally:
            infra.close()
    print(f"\n{describe_machine()}\n{load_line('end')}")


if __name__ == "__main__":
    main()
