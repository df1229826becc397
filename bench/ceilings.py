"""What the identity commands are compared with: the database's raw commit rate, the event
store's single-event append rate, and the CPU cost of argon2id password hashing."""

from __future__ import annotations

import threading
import uuid

import psycopg
from eventsourcing.persistence import StoredEvent

from adapters.events.event_store import EventStore
from adapters.security.passwords import hash_password, verify_password
from bench.common import Measurement, run_concurrently

PASSWORD = "correct horse battery staple"
RAW_TABLE_DDL = (
    "CREATE TABLE IF NOT EXISTS bench_raw_inserts ("
    " id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
)
BENCH_TOPIC = "bench.ceilings:Append"  # no projection subscribes to it


def raw_insert_commit(database_url: str, count: int, threads: int, label: str = "") -> Measurement:
    """Single-row INSERT + COMMIT transactions, one connection per thread, into a small table."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(RAW_TABLE_DDL)
    local = threading.local()
    opened: list[psycopg.Connection] = []
    lock = threading.Lock()

    def setup() -> None:
        local.conn = psycopg.connect(database_url)
        with lock:
            opened.append(local.conn)

    def op(i: int) -> None:
        local.conn.execute("INSERT INTO bench_raw_inserts (payload) VALUES (%s)", (f"row {i}",))
        local.conn.commit()

    try:
        return run_concurrently(f"raw INSERT+COMMIT{label}", op, count, threads, setup)
    finally:
        for conn in opened:
            conn.close()


def store_append(store: EventStore, count: int, threads: int, label: str = "") -> Measurement:
    """One event per transaction through the store's recorder (table lock, NOTIFY, insert)."""

    def op(i: int) -> None:
        event = StoredEvent(originator_id=uuid.uuid4(), originator_version=1, topic=BENCH_TOPIC, state=b"{}")
        store.recorder.insert_events([event])

    return run_concurrently(f"event store append, 1 event/txn{label}", op, count, threads)


def argon2_costs(samples: int, threads: int) -> list[Measurement]:
    """One hash / one verify at a time (their latency), then many at once (the CPU ceiling)."""
    stored = hash_password(PASSWORD)
    return [
        run_concurrently("argon2id hash_password, 1 thread", lambda i: hash_password(PASSWORD), samples, 1),
        run_concurrently("argon2id verify_password, 1 thread", lambda i: verify_password(stored, PASSWORD), samples, 1),
        run_concurrently(f"argon2id hash_password, {threads} threads", lambda i: hash_password(PASSWORD), samples * 2, threads),
        run_concurrently(
            f"argon2id verify_password, {threads} threads", lambda i: verify_password(stored, PASSWORD), samples * 2, threads
        ),
    ]
