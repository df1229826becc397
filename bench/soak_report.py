"""What bench/soak.py watches and concludes: a sample of the processes and the database every few
seconds, one row per window (minute), and the verdict over the rows."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

import psutil
from psycopg_pool import ConnectionPool

from bench.common import percentile
from bench.soak_mix import Tally
from projections.engine.tracking import log_head, status
from projections.registry import ALL

MB = 1024 * 1024
HEADER = (f"{'min':>4} {'reqs':>6} {'err':>4} {'p50 ms':>7} {'p99 ms':>7} {'api MB':>7} {'wrk MB':>7}"
          f" {'api %':>6} {'wrk %':>6} {'lag':>5} {'lag end':>7} {'events':>7} {'pg':>4} {'load':>5}")


@dataclass
class Sample:
    api_rss: float
    worker_rss: float
    api_cpu: float  # CPU seconds so far
    worker_cpu: float
    lag: int  # events, the slowest read model
    head: int
    connections: int


def _rss_and_cpu(process: psutil.Process) -> tuple[float, float]:
    times = process.cpu_times()
    return process.memory_info().rss / MB, times.user + times.system


def sample(pool: ConnectionPool, api: psutil.Process, worker: psutil.Process) -> Sample:
    """Blocking (a few dozen queries): run it off the event loop."""
    api_rss, api_cpu = _rss_and_cpu(api)
    worker_rss, worker_cpu = _rss_and_cpu(worker)
    lag = max(s.lag for s in status(pool, ALL))
    with pool.connection() as conn:
        connections = conn.execute("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()"
                                   ).fetchone()["n"]
    return Sample(api_rss, worker_rss, api_cpu, worker_cpu, lag, log_head(pool), connections)


@dataclass
class Row:
    minute: int
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    api_rss_mb: float
    worker_rss_mb: float
    api_cpu_pct: float
    worker_cpu_pct: float
    max_lag: int
    lag_at_end: int
    events: int
    pg_connections: int
    load1: float

    def line(self) -> str:
        return (f"{self.minute:>4} {self.requests:>6} {self.errors:>4} {self.p50_ms:>7.1f} {self.p99_ms:>7.1f}"
                f" {self.api_rss_mb:>7.1f} {self.worker_rss_mb:>7.1f} {self.api_cpu_pct:>6.1f} {self.worker_cpu_pct:>6.1f}"
                f" {self.max_lag:>5} {self.lag_at_end:>7} {self.events:>7} {self.pg_connections:>4} {self.load1:>5.1f}")


def row(minute: int, tally: Tally, samples: list[Sample], before: Sample, seconds: float) -> Row:
    """The window's row; `before` is the last sample of the previous window."""
    latencies = sorted(x for values in tally.latency.values() for x in values)
    end = samples[-1]
    return Row(minute, tally.requests, sum(tally.errors.values()),
               percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000, end.api_rss, end.worker_rss,
               100 * (end.api_cpu - before.api_cpu) / seconds, 100 * (end.worker_cpu - before.worker_cpu) / seconds,
               max(s.lag for s in samples), end.lag, end.head - before.head, end.connections, os.getloadavg()[0])


def slope_per_10_minutes(minutes: list[int], values: list[float]) -> float:
    """Least-squares slope of values over minutes, per 10 minutes."""
    n = len(minutes)
    if n < 2:
        return 0.0
    mx, my = sum(minutes) / n, sum(values) / n
    sxx = sum((x - mx) ** 2 for x in minutes)
    return 10 * sum((x - mx) * (y - my) for x, y in zip(minutes, values, strict=True)) / sxx


def verdict(rows: list[Row], baseline: Sample, totals: Tally, lag_samples: list[int],
            caught_up: float | None) -> dict[str, Any]:
    """Memory over the last 2/3 of the rows (the first third warms caches up), p99 first vs last
    window, errors, and whether the lag stayed bounded: the read models caught up once the load
    stopped, and the last third of the run never lagged far beyond the first third."""
    tail = rows[len(rows) // 3:] if len(rows) >= 3 else rows
    third = max(1, len(lag_samples) // 3)
    first_lag, last_lag = max(lag_samples[:third], default=0), max(lag_samples[-third:], default=0)
    bounded = caught_up is not None and last_lag <= 2 * first_lag + 100
    errors = sum(totals.errors.values())
    return {
        "memory_mb": {
            "api": {"before_load": baseline.api_rss, "start": rows[0].api_rss_mb, "end": rows[-1].api_rss_mb,
                    "slope_last_two_thirds_per_10_min": slope_per_10_minutes(
                        [r.minute for r in tail], [r.api_rss_mb for r in tail])},
            "worker": {"before_load": baseline.worker_rss, "start": rows[0].worker_rss_mb, "end": rows[-1].worker_rss_mb,
                       "slope_last_two_thirds_per_10_min": slope_per_10_minutes(
                           [r.minute for r in tail], [r.worker_rss_mb for r in tail])},
        },
        "p99_ms": {"first_window": rows[0].p99_ms, "last_window": rows[-1].p99_ms},
        # What a request costs the API, whatever else the machine runs: flat unless work per request grows.
        "api_cpu_ms_per_request": {"first_window": _cpu_ms_per_request(rows[0]),
                                   "last_window": _cpu_ms_per_request(rows[-1])},
        "errors": errors, "errors_by_kind": dict(totals.errors), "error_samples": totals.samples,
        "lag": {"max": max(lag_samples, default=0), "max_first_third": first_lag, "max_last_third": last_lag,
                "caught_up_after_load_s": caught_up, "bounded": bounded},
        "ok": errors == 0 and bounded,
    }


def _cpu_ms_per_request(r: Row) -> float:
    return r.api_cpu_pct / 100 * 60_000 / max(1, r.requests)


def rows_as_dicts(rows: list[Row]) -> list[dict[str, Any]]:
    return [asdict(r) for r in rows]
