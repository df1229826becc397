"""Failures of projection runners, kept where every process can see them.

A runner records each failure (a database restart, a handler raising on a bad event) and
clears the record after its next successful batch; `projections status` and `/readyz` read
the table, whichever process runs the projection.
"""

from __future__ import annotations

from typing import Any

from psycopg_pool import ConnectionPool

DDL = """CREATE TABLE IF NOT EXISTS projection_runner_errors (
    projection text PRIMARY KEY, error text NOT NULL, failures int NOT NULL,
    failing_since timestamptz NOT NULL, last_failed_at timestamptz NOT NULL)"""


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        conn.execute(DDL)


def record(pool: ConnectionPool, projection: str, error: str) -> None:
    with pool.connection() as conn:
        conn.execute(
            "INSERT INTO projection_runner_errors VALUES (%s, %s, 1, now(), now())"
            " ON CONFLICT (projection) DO UPDATE SET error = EXCLUDED.error,"
            " failures = projection_runner_errors.failures + 1, last_failed_at = now()",
            (projection, error),
        )


def clear(pool: ConnectionPool, projection: str) -> None:
    with pool.connection() as conn:
        conn.execute("DELETE FROM projection_runner_errors WHERE projection = %s", (projection,))


def current(pool: ConnectionPool) -> dict[str, dict[str, Any]]:
    """Per failing projection: its last error, failures in a row, and since when."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT projection, error, failures, failing_since FROM projection_runner_errors"
        ).fetchall()
    return {r["projection"]: r for r in rows}

