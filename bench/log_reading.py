"""The parts of a rebuild, timed one by one: scanning the events table, the engine's batch
queries alone, and decoding (transcoding + decrypting personal fields) alone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE, EventStore
from bench.common import Measurement
from projections.engine.engine import _BATCH_SQL, Projection

_SCAN_SQL = sql.SQL(
    "SELECT notification_id, originator_id, originator_version, topic, state FROM public.{} ORDER BY notification_id"
).format(sql.Identifier(EVENTS_TABLE))


def table_size(url: str) -> tuple[int, int]:
    """(rows, bytes on disk including indexes and TOAST) of the events table."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            sql.SQL("SELECT count(*), pg_total_relation_size(%s) FROM public.{}").format(sql.Identifier(EVENTS_TABLE)),
            (EVENTS_TABLE,),
        ).fetchone()
    return int(row[0]), int(row[1])


def vacuum_analyze(url: str) -> float:
    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("VACUUM (ANALYZE) public.{}").format(sql.Identifier(EVENTS_TABLE)))
    return time.perf_counter() - t0


def raw_scan(url: str, label: str = "") -> tuple[Measurement, float]:
    """Every row, in log order, through a server-side cursor (tuple rows). Returns (rows, MB/s)."""
    rows, payload = 0, 0
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor(name="bench_scan") as cur:
        cur.itersize = 10_000
        cur.execute(_SCAN_SQL)
        for _nid, _oid, _version, topic, state in cur:
            rows += 1
            payload += 8 + 16 + 8 + len(topic) + len(state)
    seconds = time.perf_counter() - t0
    return Measurement(f"SELECT all rows (psycopg, server cursor){label}", rows, seconds), payload / seconds / 1e6


def engine_batches(pool: ConnectionPool, projection: Projection, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """The rows the engine's batch query returns, batch after batch (keyset on the position)."""
    position = 0
    with pool.connection() as conn, conn.cursor() as cur:
        while True:
            cur.execute(_BATCH_SQL, (position, projection.topics, batch_size))
            found = [r for r in cur.fetchall() if r["notification_id"] is not None]
            if not found:
                return
            yield found
            position = found[-1]["notification_id"]


def engine_reads(pool: ConnectionPool, projection: Projection, batch_size: int, label: str = "") -> Measurement:
    t0 = time.perf_counter()
    rows = sum(len(batch) for batch in engine_batches(pool, projection, batch_size))
    return Measurement(f"engine batch queries only, {batch_size}/batch{label}", rows, time.perf_counter() - t0)


class _CountingPool:
    """Stands in for the key store's pool: counts the connections it hands out (key queries)."""

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool, self.checkouts = pool, 0

    def connection(self, *args: Any, **kwargs: Any) -> Any:
        self.checkouts += 1
        return self.pool.connection(*args, **kwargs)


def decode_only(
    pool: ConnectionPool, store: EventStore, projection: Projection, batch_size: int, label: str = ""
) -> tuple[Measurement, int]:
    """store.decode_many per engine batch; only the decoding is timed. Returns (rate, key queries)."""
    keys = store.keys
    counting = _CountingPool(keys.pool)
    keys.pool = counting  # type: ignore[assignment]
    decoded, seconds = 0, 0.0
    try:
        for batch in engine_batches(pool, projection, batch_size):
            t0 = time.perf_counter()
            decoded += len(store.decode_many(batch))
            seconds += time.perf_counter() - t0
    finally:
        keys.pool = counting.pool
    return Measurement(f"store.decode_many only, {batch_size}/batch{label}", decoded, seconds), counting.checkouts


def read_model_digest(pool: ConnectionPool, projection: Projection) -> str:
    """Row counts and an md5 of the projection's users and sessions tables, to compare rebuilds."""
    parts = []
    with pool.connection() as conn:
        for table, key in (("users", "user_id"), ("sessions", "session_id")):
            q = sql.SQL("SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t.{})) AS h FROM {}.{} t").format(
                sql.Identifier(key), sql.Identifier(projection.schema), sql.Identifier(table)
            )
            row = conn.execute(q).fetchone()
            parts.append(f"{table} {row['n']:,} rows md5 {row['h'][:12] if row['h'] else '-'}")
    return ", ".join(parts)
