"""Unread tracking: when each person last read each thread. Operational state, not events
(opening a thread is not a change anyone audits, and it would flood the log); the thread
lists compare it with the read model's last activity."""

from __future__ import annotations

from uuid import UUID

from psycopg_pool import ConnectionPool

DDL = [
    """CREATE TABLE IF NOT EXISTS forum_reads (
        user_id uuid NOT NULL, thread_id uuid NOT NULL, read_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, thread_id))""",
]


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        for ddl in DDL:
            conn.execute(ddl)


def mark_read(pool: ConnectionPool, user_id: UUID, thread_id: UUID) -> None:
    with pool.connection() as conn:
        conn.execute("INSERT INTO forum_reads (user_id, thread_id, read_at) VALUES (%s, %s, now())"
                     " ON CONFLICT (user_id, thread_id) DO UPDATE SET read_at = now()", (user_id, thread_id))

