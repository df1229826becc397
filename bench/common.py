"""Shared benchmark helpers: a fresh database, bench settings, timing and reporting."""

from __future__ import annotations

import atexit
import itertools
import os
import platform
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from adapters.postgres import embedded_server_url, with_database
from adapters.settings import Settings

SECRET_KEY = "bench-secret-key-0123456789abcdef"


def server_url(data_dir: Path) -> tuple[str, str]:
    """The server to benchmark on, and where it came from."""
    for var in ("BENCH_DATABASE_URL", "DATABASE_URL"):
        if os.environ.get(var):
            return os.environ[var], var
    return embedded_server_url(data_dir), f"embedded PostgreSQL in {data_dir}"


def bench_server(prefix: str = "skillhub-bench-") -> tuple[Path, str, str]:
    """A scratch folder (removed at exit), the server to benchmark on, and how the header names it
    ("embedded PostgreSQL in ..., PostgreSQL 18.4")."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, tmp, True)  # registered first, so it runs after the embedded server stopped
    server, source = server_url(tmp)
    return tmp, server, f"{source}, PostgreSQL {server_version(server)}"


@contextmanager
def fresh_database(server: str, keep: bool = False) -> Iterator[str]:
    """A new, empty database on the server; dropped (even if in use) at the end unless kept."""
    name = f"skillhub_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server, name)
    finally:
        if keep:
            print(f"database kept: {with_database(server, name)}", flush=True)
        else:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": data_dir, "secret_key": SECRET_KEY, "dev_mode": False}
    values.update(overrides)
    return Settings(**values)


def server_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])


def describe_machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


@dataclass
class Measurement:
    name: str
    count: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def line(self, unit: str = "ops/s") -> str:
        text = f"{self.name:<50} {self.count:>9,} in {self.seconds:7.2f} s  {self.rate:>9,.1f} {unit}"
        if self.latencies:
            lat = sorted(self.latencies)
            text += f"  p50 {percentile(lat, 50) * 1000:7.1f} ms  p99 {percentile(lat, 99) * 1000:7.1f} ms"
        if self.errors:
            text += f"  ERRORS {self.errors} (first: {self.first_error})"
        return text


def run_concurrently(
    name: str, op: Callable[[int], object], count: int, threads: int,
    setup: Callable[[], object] | None = None,
) -> Measurement:
    """Call op(0..count-1) from `threads` threads at once; time each call and the whole run.

    `setup` runs once in each thread before the clock starts (e.g. to open its connection).
    """
    counter = itertools.count()  # next() on it is atomic under the GIL
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors: list[str] = []
    start = threading.Barrier(threads + 1)

    def worker(mine: list[float]) -> None:
        try:
            if setup is not None:
                setup()
        except Exception as e:  # noqa: BLE001 - this thread sits the run out
            errors.append(f"setup: {type(e).__name__}: {e}"[:200])
            start.wait()
            return
        start.wait()
        while (i := next(counter)) < count:
            t0 = time.perf_counter()
            try:
                op(i)
            except Exception as e:  # noqa: BLE001 - counted and reported, the run goes on
                errors.append(f"{type(e).__name__}: {e}"[:200])
                continue
            mine.append(time.perf_counter() - t0)

    pool = [threading.Thread(target=worker, args=(lat,), daemon=True) for lat in latencies]
    for t in pool:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    seconds = time.perf_counter() - t0
    ok = [x for lat in latencies for x in lat]
    return Measurement(name, len(ok), seconds, ok, len(errors), errors[0] if errors else "")


def timed(name: str, fn: Callable[[], int]) -> Measurement:
    """Time fn once; fn returns how many items it processed."""
    t0 = time.perf_counter()
    n = fn()
    return Measurement(name, n, time.perf_counter() - t0)
