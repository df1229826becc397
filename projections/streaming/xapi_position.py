"""Where the xAPI forwarder (workers/streaming/xapi_forwarder.py) stands in the log: the position of the
last learning event the LRS stored, and its last failure, like the Kafka relay's table; and
its status for operators (`skillhub projections status`, /readyz)."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE
from projections.engine.tracking import advisory_lock_held

LOCK_KEY = "skillhub:active:xapi-forwarder"  # held by the one active forwarder
DDL = """CREATE TABLE IF NOT EXISTS xapi_forwarder (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    position bigint NOT NULL DEFAULT 0,
    sent bigint NOT NULL DEFAULT 0,
    last_error text, last_error_at timestamptz)"""


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        conn.execute(DDL)
        conn.execute("INSERT INTO xapi_forwarder DEFAULT VALUES ON CONFLICT DO NOTHING")


def forwarder_position(pool: ConnectionPool) -> int:
    with pool.connection() as conn:
        return conn.execute("SELECT position FROM xapi_forwarder").fetchone()["position"]


def save_position(pool: ConnectionPool, position: int, sent: int) -> None:
    with pool.connection() as conn:
        conn.execute("UPDATE xapi_forwarder SET position = %s, sent = sent + %s, last_error = NULL", (position, sent))


def save_error(pool: ConnectionPool, error: str) -> None:
    with pool.connection() as conn:
        conn.execute("UPDATE xapi_forwarder SET last_error = %s, last_error_at = now()", (error[:500],))


@dataclass(frozen=True)
class XapiStatus:
    position: int
    pending: int  # learning events after the position (counted up to PENDING_CAP)
    active_forwarder: bool
    last_error: str | None


PENDING_CAP = 100_000


def forwarder_status(pool: ConnectionPool, topics: list[str]) -> XapiStatus:
    with pool.connection() as conn:
        row = conn.execute("SELECT position, last_error FROM xapi_forwarder").fetchone()
        pending = conn.execute(
            f"SELECT count(*) AS n FROM (SELECT 1 FROM public.{EVENTS_TABLE} WHERE notification_id > %s"
            " AND topic = ANY(%s) LIMIT %s) t", (row["position"], topics, PENDING_CAP)).fetchone()["n"]
    return XapiStatus(row["position"], pending, advisory_lock_held(pool, LOCK_KEY), row["last_error"])
