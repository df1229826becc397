"""Soak (issue 15, point 7): a realistic mix at a steady rate for half an hour, with SkillHub run as
in production, to show that memory and latency stay flat, nothing fails and the read models keep up.

    .venv/bin/python -m bench.soak                      # 30 minutes at 6 requests/s
    .venv/bin/python -m bench.soak --minutes 2          # a smoke run
    # flags: --rate 6  --students 300  --classes 6  --courses 4  --lessons 8  --connections 50
    #        --pool-size 20  --sample-seconds 5  --seed 1  --json PATH

A fresh database (embedded PostgreSQL, or BENCH_DATABASE_URL / DATABASE_URL) gets a world from
bench/soak_seed.py: published courses with lessons, classes with a teacher, a quiz (unlimited
attempts) and a forum each, and `--students` students in the classes, each enrolled in one course.
Then SkillHub starts as in production, split (bench.http_server.serve(split=True)): `skillhub
serve --workers none` for the API and `skillhub worker all` for every follower, and requests
arrive open loop (Poisson, `--rate` per second, whatever the server's speed) in the mix of
bench/soak_mix.py: students browsing the catalog, enrolling, opening and completing lessons,
answering quizzes, reading and posting in their class forum, reading their progress and
dashboard, logging in (and refreshing the access token before it expires, as a client does);
teachers reading class progress and reports; now and then a newcomer
registering.

Every minute one row: requests, errors (a connection error or any status other than the one
expected, 5xx and unexpected 4xx alike), p50 and p99 latency (send to response, the client's
wait for a free connection included), resident memory and CPU share of the API and the worker
process, the projection lag (log head minus the slowest read model's position, as `skillhub
projections status` reports it; sampled every `--sample-seconds`, the window's maximum and its
last sample), events appended, PostgreSQL connections to the database (this process's pool
included) and the 1-minute load average. At the end the verdict (bench/soak_report.py); the exit
status is 1 when any request failed or the lag was unbounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
from psycopg_pool import ConnectionPool

from adapters.infrastructure import open_infrastructure
from bench.assessment import wait_caught_up
from bench.common import (
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
    percentile,
)
from bench.http_server import serve
from bench.machine_load import load_line, server_process
from bench.soak_mix import KINDS, WEIGHTS, Mix, Tally
from bench.soak_report import HEADER, Row, Sample, row, rows_as_dicts, sample, verdict
from bench.soak_seed import World, seed_world
from bench.synthetic_models import wait_followers_active
from commands.pipeline import deps_for
from projections.engine.tracking import status
from projections.registry import ALL
from workers.runtime import start_projection_runners
from workers.startup import prepare


class Soak:
    def __init__(self, mix: Mix, pool: ConnectionPool, api: psutil.Process, worker: psutil.Process,
                 args: argparse.Namespace) -> None:
        self.mix, self.pool, self.api, self.worker, self.args = mix, pool, api, worker, args
        self.rows: list[Row] = []
        self.windows: list[Tally] = []
        self.lags: list[int] = []
        self.t0 = 0.0

    async def sample(self) -> Sample:
        return await asyncio.to_thread(sample, self.pool, self.api, self.worker)

    async def watch(self, before: Sample) -> None:
        """A sample every few seconds; at each minute a row from the window's requests and samples."""
        for minute in range(1, self.args.minutes + 1):
            window_end = self.t0 + 60 * minute
            samples: list[Sample] = []
            while not samples or time.perf_counter() < window_end:
                await asyncio.sleep(max(0.0, min(self.args.sample_seconds, window_end - time.perf_counter())))
                samples.append(await self.sample())
                self.lags.append(samples[-1].lag)
            tally, self.mix.tally = self.mix.tally, Tally()
            self.windows.append(tally)
            self.rows.append(row(minute, tally, samples, before, 60.0))
            print(self.rows[-1].line(), flush=True)
            before = samples[-1]

    async def arrivals(self) -> None:
        rng = random.Random(self.args.seed + 1)
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
        end, at = self.t0 + 60 * self.args.minutes, self.t0
        running: set[asyncio.Task[None]] = set()
        while (at := at + rng.expovariate(self.args.rate)) < end:
            if (delay := at - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(self.mix.act(rng.choices(kinds, weights)[0]))
            running.add(task)
            task.add_done_callback(running.discard)
        if running:
            await asyncio.wait(running, timeout=60)

    async def run(self) -> Sample:
        """Returns the sample taken before the load started."""
        baseline = await self.sample()
        print(f"  before the load: API {baseline.api_rss:.1f} MB, worker {baseline.worker_rss:.1f} MB,"
              f" lag {baseline.lag}, {baseline.connections} PostgreSQL connections\n{HEADER}", flush=True)
        self.t0 = time.perf_counter()
        await asyncio.gather(self.watch(baseline), self.arrivals())
        self.windows.append(self.mix.tally)  # whatever finished after the last row
        return baseline


def totals(windows: list[Tally]) -> Tally:
    out = Tally()
    for w in windows:
        out.requests += w.requests
        for kind, values in w.latency.items():
            out.latency[kind] += values
        for kind, n in w.errors.items():
            out.errors[kind] += n
        out.samples += w.samples[:max(0, 5 - len(out.samples))]
    return out


def caught_up_after(pool: ConnectionPool, timeout: float) -> float | None:
    """Seconds until no read model lags, or None if they did not within `timeout`."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if not any(s.lag for s in status(pool, ALL)):
            return time.perf_counter() - t0
        time.sleep(0.5)
    return None


async def soak(base_url: str, world: World, pool: ConnectionPool, args: argparse.Namespace) -> tuple[Soak, Sample]:
    api, worker = server_process("serve"), server_process("worker")
    if api is None or worker is None:
        raise RuntimeError("the API or the worker process is missing")
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends: reusing one the server is
    # closing at that moment fails with a ReadError that says nothing about the server.
    limits = httpx.Limits(max_connections=args.connections, max_keepalive_connections=args.connections,
                          keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60.0) as client:
        run = Soak(Mix(client, world, args.seed), pool, api, worker, args)
        return run, await run.run()


def print_summary(all_requests: Tally, result: dict[str, Any]) -> None:
    print(f"\n{'kind':<12} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for kind in KINDS:
        lat = sorted(all_requests.latency.get(kind, []))
        print(f"{kind:<12} {len(lat):>9} {all_requests.errors.get(kind, 0):>7}"
              f" {percentile(lat, 50) * 1000:>8.1f} {percentile(lat, 99) * 1000:>8.1f}")
    memory, lag = result["memory_mb"], result["lag"]
    print("\n## verdict")
    for name in ("api", "worker"):
        m = memory[name]
        print(f"  {name} memory: {m['before_load']:.1f} MB before the load, {m['start']:.1f} MB after the first minute,"
              f" {m['end']:.1f} MB at the end; slope over the last 2/3: {m['slope_last_two_thirds_per_10_min']:+.2f} MB"
              " per 10 minutes")
    print(f"  p99: {result['p99_ms']['first_window']:.1f} ms in the first minute,"
          f" {result['p99_ms']['last_window']:.1f} ms in the last; API CPU per request"
          f" {result['api_cpu_ms_per_request']['first_window']:.1f} ms, then"
          f" {result['api_cpu_ms_per_request']['last_window']:.1f} ms")
    print(f"  requests: {all_requests.requests:,}; errors: {result['errors']} {result['errors_by_kind'] or ''}")
    for text in result["error_samples"]:
        print(f"    {text}")
    caught = lag["caught_up_after_load_s"]
    print(f"  lag: max {lag['max']} events (first third {lag['max_first_third']}, last third {lag['max_last_third']});"
          f" caught up {f'{caught:.1f} s' if caught is not None else 'NOT within 120 s'} after the load stopped:"
          f" {'bounded' if lag['bounded'] else 'UNBOUNDED'}")
    print(f"  {'OK' if result['ok'] else 'FAILED'}", flush=True)


def run(url: str, data_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    infra = open_infrastructure(bench_settings(data_dir, db_pool_size=10), url)
    try:
        prepare(infra)
        workers = start_projection_runners(infra)
        try:
            t0 = time.perf_counter()
            world = seed_world(infra, deps_for(infra), args.students, args.classes, args.courses, args.lessons)
            print(f"  seeded {len(world.courses)} courses of {args.lessons} lessons, {len(world.classes)} classes,"
                  f" {len(world.students)} students in {time.perf_counter() - t0:.1f} s; read models caught up"
                  f" {wait_caught_up(infra.pool):.1f} s later", flush=True)
        finally:
            workers.shutdown()  # the worker process's followers must be the active ones
        with serve(url, data_dir / "server", args.pool_size, timeout=180.0, split=True) as base_url:  # a busy VM starts slowly
            print(f"  API {base_url} (pool size {args.pool_size}) and `skillhub worker all`; followers active after"
                  f" {wait_followers_active(infra.pool, ALL):.1f} s", flush=True)
            soaked, baseline = asyncio.run(soak(base_url, world, infra.pool, args))
            caught_up = caught_up_after(infra.pool, 120.0)
            all_requests = totals(soaked.windows)
            result = verdict(soaked.rows, baseline, all_requests, soaked.lags, caught_up)
            print_summary(all_requests, result)
            if result["errors"]:
                for log in ("server.log", "worker.log"):
                    print(f"\n--- tail of {log}\n{(data_dir / 'server' / log).read_text()[-4000:]}")
        return {"rows": rows_as_dicts(soaked.rows), "verdict": result, "requests": all_requests.requests}
    finally:
        infra.close()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--minutes", type=int, default=30)
    p.add_argument("--rate", type=float, default=6.0, help="requests per second offered (open loop)")
    p.add_argument("--students", type=int, default=300)
    p.add_argument("--classes", type=int, default=6)
    p.add_argument("--courses", type=int, default=4)
    p.add_argument("--lessons", type=int, default=8, help="per course")
    p.add_argument("--connections", type=int, default=50, help="the client's connection pool")
    p.add_argument("--pool-size", type=int, default=20, help="SKILLHUB_DB_POOL_SIZE of the server processes")
    p.add_argument("--sample-seconds", type=float, default=5.0, help="between samples of memory, lag and connections")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", type=Path, help="write the rows and the verdict here")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp, server, database = bench_server("skillhub-soak-")
    started = load_line("start")
    print(f"# soak\n{describe_machine()}\n{started}\ndatabase: {database}; {args.rate:g} requests/s for"
          f" {args.minutes} minutes, {args.students} students", flush=True)
    with fresh_database(server) as url:
        summary = run(url, tmp, args)
    ended = load_line("end")
    print(f"\n{ended}")
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "machine": describe_machine(),
                                         "load": [started, ended], **summary}, indent=2))
    return 0 if summary["verdict"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
