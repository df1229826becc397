"""Failed-login throttling per account and per address (operational state, not events)."""

from __future__ import annotations

from psycopg_pool import ConnectionPool

from domain.errors import Throttled

DDL = [
    "CREATE TABLE IF NOT EXISTS login_failures (key text NOT NULL, failed_at timestamptz NOT NULL DEFAULT now())",
    "CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, failed_at)",
]


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        for ddl in DDL:
            conn.execute(ddl)


def check(pool: ConnectionPool, limits: dict[str, int], window_seconds: int) -> None:
    """Raise Throttled when any key has reached its limit of failures within the window."""
    with pool.connection() as conn:
        for key, limit in limits.items():
            row = conn.execute(
                "SELECT count(*) AS n, extract(epoch FROM min(failed_at) + make_interval(secs => %s) - now()) AS wait"
                " FROM (SELECT failed_at FROM login_failures WHERE key = %s"
                "       AND failed_at > now() - make_interval(secs => %s)"
                "       ORDER BY failed_at DESC LIMIT %s) recent",
                (window_seconds, key, window_seconds, limit),
            ).fetchone()
            if row["n"] >= limit:
                raise Throttled(
                    "too many failed logins; try again later",
                    retry_after=max(1, int(row["wait"] or 1) + 1),
                )


def record_failure(pool: ConnectionPool, keys: list[str], window_seconds: int) -> None:
    with pool.connection() as conn:
        for key in keys:
            conn.execute("INSERT INTO login_failures (key) VALUES (%s)", (key,))
        conn.execute(
            "DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => %s)",
            (window_seconds,),
        )


def clear(pool: ConnectionPool, key: str) -> None:
    with pool.connection() as conn:
        conn.execute("DELETE FROM login_failures WHERE key = %s", (key,))
