"""The delivery side of the outbox: claiming due deliveries, recording the outcome, the
dead-letter list, and bundling held e-mails into digests."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from projections.notification.store import OUTBOX_CHANNEL
from projections.reading.pagination import Kind, decode_cursor, page

_DELIVERY = "d.delivery_id, d.message_id, d.recipient_id, d.channel, d.target, d.attempts, d.digest_id, d.created_at"


def claim_due(conn: psycopg.Connection, channels: list[str]) -> dict[str, Any] | None:
    """The next due delivery, locked until the caller's transaction ends (others skip it)."""
    return conn.execute(
        f"SELECT {_DELIVERY} FROM notification.deliveries d WHERE d.status = 'pending'"
        " AND d.next_attempt_at <= now() AND d.channel = ANY(%s)"
        " ORDER BY d.next_attempt_at, d.delivery_id LIMIT 1 FOR UPDATE SKIP LOCKED",
        (channels,),
    ).fetchone()


def seconds_until_next_due(conn: psycopg.Connection, channels: list[str]) -> float | None:
    row = conn.execute(
        "SELECT extract(epoch FROM min(next_attempt_at) - now()) AS wait FROM notification.deliveries"
        " WHERE status = 'pending' AND channel = ANY(%s)",
        (channels,),
    ).fetchone()
    return None if row["wait"] is None else max(float(row["wait"]), 0.0)


def mark_sent(conn: psycopg.Connection, delivery_id: int) -> None:
    conn.execute(
        "UPDATE notification.deliveries SET status = 'sent', sent_at = now(), attempts = attempts + 1"
        " WHERE delivery_id = %s",
        (delivery_id,),
    )


def mark_cancelled(conn: psycopg.Connection, delivery_id: int, reason: str) -> None:
    conn.execute(
        "UPDATE notification.deliveries SET status = 'cancelled', last_error = %s WHERE delivery_id = %s",
        (reason[:1000], delivery_id),
    )


def mark_failed(conn: psycopg.Connection, delivery_id: int, error: str, retry_in: timedelta | None) -> None:
    """Another try after retry_in, or (None) the dead-letter list."""
    conn.execute(
        "UPDATE notification.deliveries SET attempts = attempts + 1, last_error = %s,"
        " status = CASE WHEN %s::interval IS NULL THEN 'dead' ELSE 'pending' END,"
        " next_attempt_at = now() + coalesce(%s::interval, '0')"
        " WHERE delivery_id = %s",
        (error[:1000], retry_in, retry_in, delivery_id),
    )


def dead_letters(pool: ConnectionPool, *, limit: int, cursor: str | None) -> dict[str, Any]:
    after = decode_cursor(cursor, Kind.WHOLE)
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT d.delivery_id, d.recipient_id, d.channel, d.attempts, d.last_error, d.created_at,"
            " m.type, coalesce(m.title, 'digest') AS title FROM notification.deliveries d"
            " LEFT JOIN notification.messages m USING (message_id)"
            " WHERE d.status = 'dead' AND d.delivery_id > %s ORDER BY d.delivery_id LIMIT %s",
            (int(after[0]) if after else 0, limit + 1),
        ).fetchall()
    return page(rows, limit, "delivery_id")


def dead_delivery_retries(pool: ConnectionPool, delivery_id: int) -> int | None:
    """How many admin retries a dead delivery has had applied; None when it is not dead."""
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT retries FROM notification.deliveries WHERE delivery_id = %s AND status = 'dead'", (delivery_id,)
        ).fetchone()
    return None if row is None else row["retries"]


def bundle_digests(pool: ConnectionPool, hour: int) -> int:
    """Gather the held e-mails of everyone whose digest hour this is into one delivery each.

    Mail held for over a day (the worker was down at that hour) goes along too.
    Returns how many digests were made."""
    with pool.connection() as conn, conn.transaction():
        rows = conn.execute(
            "SELECT d.delivery_id, d.recipient_id FROM notification.deliveries d"
            " LEFT JOIN view_notification.settings s ON s.user_id = d.recipient_id"
            " WHERE d.status = 'held' AND (s.digest_hour = %s OR d.created_at < now() - interval '25 hours')"
            " ORDER BY d.delivery_id FOR UPDATE OF d SKIP LOCKED",
            (hour,),
        ).fetchall()
        held: dict[Any, list[int]] = defaultdict(list)
        for r in rows:
            held[r["recipient_id"]].append(r["delivery_id"])
        for recipient, ids in held.items():
            digest_id = conn.execute(
                "INSERT INTO notification.deliveries (recipient_id, channel, status)"
                " VALUES (%s, 'email', 'pending') RETURNING delivery_id",
                (recipient,),
            ).fetchone()["delivery_id"]
            conn.execute(
                "UPDATE notification.deliveries SET status = 'bundled', digest_id = %s"
                " WHERE delivery_id = ANY(%s)",
                (digest_id, ids),
            )
        if held:
            conn.execute("SELECT pg_notify(%s, '')", (OUTBOX_CHANNEL,))
    return len(held)


def release_undigested(pool: ConnectionPool) -> int:
    """Held mail of people who turned the digest off is sent on its own after all."""
    with pool.connection() as conn:
        n = conn.execute(
            "UPDATE notification.deliveries d SET status = 'pending', next_attempt_at = now()"
            " WHERE d.status = 'held' AND NOT EXISTS (SELECT 1 FROM view_notification.settings s"
            " WHERE s.user_id = d.recipient_id AND s.digest)"
        ).rowcount
        if n:
            conn.execute("SELECT pg_notify(%s, '')", (OUTBOX_CHANNEL,))
    return n


def digest_hours(pool: ConnectionPool) -> set[int]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT DISTINCT digest_hour FROM view_notification.settings WHERE digest").fetchall()
    return {r["digest_hour"] for r in rows}


def digest_items(conn: psycopg.Connection, digest_id: int) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT m.title, m.body FROM notification.deliveries d JOIN notification.messages m USING (message_id)"
        " WHERE d.digest_id = %s ORDER BY m.seq",
        (digest_id,),
    ).fetchall()
