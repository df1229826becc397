"""Registration and login: commands per second and p50/p99 latency, in-process and over HTTP.

    .venv/bin/python -m bench.identity_commands [--requests 1000] [--threads 16] [--repeat 2]

In-process: commands.pipeline.execute with commands.identity.accounts.register_user and
commands.identity.sessions.log_in from N threads, the projection runners running as in `skillhub serve`.
Over HTTP: N concurrent clients against `skillhub serve` (uvicorn, api.app.create_app and the
workers) in a subprocess on a free 127.0.0.1 port. Each part gets a fresh database on the
embedded server (or on BENCH_DATABASE_URL / DATABASE_URL), dropped at the end. For comparison:
single-row INSERT+COMMIT on the same database, one-event appends through the event store, and
the cost of one argon2id hash / verify, which dominates both commands.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from psycopg_pool import ConnectionPool

from adapters.infrastructure import open_infrastructure
from adapters.settings import Settings
from bench import ceilings
from bench.common import (
    Measurement,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
    run_concurrently,
)
from bench.http_server import serve
from commands.identity.accounts import RegisterUser, register_user
from commands.identity.sessions import LogIn, log_in
from commands.pipeline import Actor, Deps, deps_for, execute
from projections.engine.tracking import status
from projections.registry import ALL
from workers.runtime import start_projection_runners
from workers.startup import prepare

PASSWORD = ceilings.PASSWORD
ACTOR = Actor(address="127.0.0.1", user_agent="skillhub-bench")


def email(tag: str, i: int) -> str:
    return f"bench-{tag}-{i:06d}@bench.example.com"


def report(m: Measurement, unit: str = "ops/s") -> Measurement:
    print(m.line(unit), flush=True)
    return m


# --- in-process -------------------------------------------------------------------------


def register_in_process(deps: Deps, tag: str) -> Callable[[int], object]:
    def op(i: int) -> object:
        cmd = RegisterUser(email=email(tag, i), password=PASSWORD, display_name=f"Bench Person {i}")
        return execute(register_user, cmd, ACTOR, deps)

    return op


def log_in_in_process(deps: Deps, tag: str, users: int) -> Callable[[int], object]:
    def op(i: int) -> object:
        return execute(log_in, LogIn(email=email(tag, i % users), password=PASSWORD), ACTOR, deps)

    return op


def wait_caught_up(pool: ConnectionPool, timeout: float = 120.0) -> float:
    """Seconds until every projection has applied the whole log (after the commands ended)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if all(s.lag == 0 for s in status(pool, ALL)):
            break
        time.sleep(0.05)
    return time.perf_counter() - t0


def in_process(url: str, data_dir: Path, args: argparse.Namespace) -> None:
    infra = open_infrastructure(bench_settings(data_dir, db_pool_size=args.pool_size), url)
    workers = None
    try:
        prepare(infra)
        for r in range(args.repeat):
            report(ceilings.raw_insert_commit(url, args.raw_count, args.threads, f", {args.threads} threads (run {r + 1})"))
        for r in range(args.repeat):
            report(ceilings.store_append(infra.store, args.raw_count, args.threads, f", {args.threads} threads (run {r + 1})"))
        workers = start_projection_runners(infra)
        deps = deps_for(infra)
        run_concurrently("warm-up", register_in_process(deps, "warm"), args.threads, args.threads)
        for r in range(args.repeat):
            tag = f"inproc{r}"
            report(run_concurrently(
                f"in-process register, {args.threads} threads (run {r + 1})",
                register_in_process(deps, tag), args.requests, args.threads,
            ), "commands/s")
        print(f"  identity projection caught up {wait_caught_up(infra.pool):.2f} s after the last registration")
        for r in range(args.repeat):
            report(run_concurrently(
                f"in-process login, {args.threads} threads (run {r + 1})",
                log_in_in_process(deps, "inproc0", args.requests), args.requests, args.threads,
            ), "commands/s")
        print(f"  identity projection caught up {wait_caught_up(infra.pool):.2f} s after the last login")
    finally:
        if workers is not None:
            workers.shutdown()
        infra.close()


# --- over HTTP --------------------------------------------------------------------------


class Clients:
    """One keep-alive HTTP client per thread."""

    def __init__(self, base_url: str) -> None:
        self.base_url, self.local, self.all = base_url, threading.local(), []
        self.lock = threading.Lock()

    def open(self) -> None:
        self.local.client = httpx.Client(base_url=self.base_url, timeout=120.0, headers={"user-agent": "skillhub-bench"})
        with self.lock:
            self.all.append(self.local.client)

    def post(self, path: str, body: dict[str, str], expect: int) -> None:
        r = self.local.client.post(path, json=body)
        if r.status_code != expect:
            raise RuntimeError(f"POST {path}: {r.status_code} {r.text[:150]}")

    def close(self) -> None:
        for c in self.all:
            c.close()


def register_over_http(clients: Clients, tag: str) -> Callable[[int], object]:
    def op(i: int) -> None:
        body = {"email": email(tag, i), "password": PASSWORD, "display_name": f"Bench Person {i}"}
        clients.post("/api/v1/users", body, 201)

    return op


def log_in_over_http(clients: Clients, tag: str, users: int) -> Callable[[int], object]:
    def op(i: int) -> None:
        clients.post("/api/v1/sessions", {"email": email(tag, i % users), "password": PASSWORD}, 201)

    return op


def over_http(url: str, data_dir: Path, args: argparse.Namespace) -> None:
    with serve(url, data_dir, args.pool_size) as base_url:
        print(f"  server: skillhub serve at {base_url} (pool size {args.pool_size})", flush=True)
        clients = Clients(base_url)
        try:
            run_concurrently("warm-up", register_over_http(clients, "warm"), args.threads, args.threads, clients.open)
            for r in range(args.repeat):
                report(run_concurrently(
                    f"HTTP register, {args.threads} clients (run {r + 1})",
                    register_over_http(clients, f"http{r}"), args.requests, args.threads, clients.open,
                ), "requests/s")
            for r in range(args.repeat):
                report(run_concurrently(
                    f"HTTP login, {args.threads} clients (run {r + 1})",
                    log_in_over_http(clients, "http0", args.requests), args.requests, args.threads, clients.open,
                ), "requests/s")
        finally:
            clients.close()


# --- main -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--requests", type=int, default=1000, help="commands / requests per measurement")
    p.add_argument("--threads", type=int, default=16, help="concurrent threads / HTTP clients")
    p.add_argument("--repeat", type=int, default=1, help="run every measurement this many times")
    p.add_argument("--raw-count", type=int, default=5000, help="transactions per ceiling measurement")
    p.add_argument("--argon2-samples", type=int, default=20, help="single-threaded hashes/verifies timed")
    p.add_argument("--pool-size", type=int, default=Settings.model_fields["db_pool_size"].default,
                   help="SKILLHUB_DB_POOL_SIZE for the in-process infrastructure and the server")
    p.add_argument("--skip-in-process", action="store_true")
    p.add_argument("--skip-http", action="store_true")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# identity commands benchmark\n{describe_machine()}")
    print(f"database: {database}; {args.requests} requests per measurement,"
          f" {args.threads} threads, repeat {args.repeat}\n", flush=True)
    for m in ceilings.argon2_costs(args.argon2_samples, args.threads):
        report(m, "calls/s")
    if not args.skip_in_process:
        print("\n## in-process (fresh database)", flush=True)
        with fresh_database(server) as url:
            in_process(url, tmp / "inproc", args)
    if not args.skip_http:
        print("\n## over HTTP (fresh database)", flush=True)
        with fresh_database(server) as url:
            over_http(url, tmp / "http", args)
    print(f"\n{describe_machine()}")


if __name__ == "__main__":
    main()
