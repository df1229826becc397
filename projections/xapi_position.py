"""Where the xAPI forwarder (workers/xapi_forwarder.py) stands in the log: the position of the
last learning event the LRS stored, and its last failure, like the Kafka relay's table."""

from __future__ import annotations

from psycopg_pool import ConnectionPool

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
