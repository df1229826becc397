"""Throttling of logins and password-reset requests per account and per address
(operational state, not events).

An attempt is counted before the work it guards (checking a password), under an advisory
lock per key, so parallel tries cannot all pass a limit they each saw as not reached yet.
A login that succeeds takes its attempt back.
"""

from __future__ import annotations

from psycopg_pool import ConnectionPool

from domain.errors import Throttled

DDL = [
    "DROP TABLE IF EXISTS login_failures",  # replaced by throttle_attempts; held only counters
    """CREATE TABLE IF NOT EXISTS throttle_attempts (
        attempt_id bigserial PRIMARY KEY, key text NOT NULL, expires_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS throttle_attempts_key ON throttle_attempts (key, expires_at)",
    "CREATE INDEX IF NOT EXISTS throttle_attempts_expiry ON throttle_attempts (expires_at)",
]


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        for ddl in DDL:
            conn.execute(ddl)


def count_attempt(pool: ConnectionPool, limits: dict[str, int], window_seconds: int, refusal: str) -> list[int]:
    """Count one attempt against every key, or raise Throttled (counting nothing) when a key
    already has its limit of attempts within the window. Returns the attempts' ids."""
    with pool.connection() as conn, conn.transaction():
        for key in sorted(limits):  # one order everywhere: no deadlock between keys
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"skillhub:throttle:{key}",))
        for key, limit in limits.items():
            row = conn.execute(
                "SELECT count(*) AS n, extract(epoch FROM min(expires_at) - now()) AS wait"
                " FROM (SELECT expires_at FROM throttle_attempts WHERE key = %s AND expires_at > now()"
                "       ORDER BY expires_at DESC LIMIT %s) recent",
                (key, limit),
            ).fetchone()
            if row["n"] >= limit:
                raise Throttled(refusal, retry_after=max(1, int(row["wait"] or 0) + 1))
        rows = conn.execute(
            "INSERT INTO throttle_attempts (key, expires_at)"
            " SELECT k, now() + make_interval(secs => %s) FROM unnest(%s::text[]) k RETURNING attempt_id",
            (window_seconds, list(limits)),
        ).fetchall()
        conn.execute("DELETE FROM throttle_attempts WHERE expires_at < now()")
    return [r["attempt_id"] for r in rows]


def take_back(pool: ConnectionPool, attempt_ids: list[int]) -> None:
    with pool.connection() as conn:
        conn.execute("DELETE FROM throttle_attempts WHERE attempt_id = ANY(%s)", (attempt_ids,))


def clear(pool: ConnectionPool, key: str) -> None:
    with pool.connection() as conn:
        conn.execute("DELETE FROM throttle_attempts WHERE key = %s", (key,))
