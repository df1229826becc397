"""The in-app inbox: a person's messages, newest first, and their read marks.

Read marks are kept on the message rows rather than recorded as events: they are the
state of a derived artefact (like a delivery's status), not a fact of the business."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.errors import NotFound
from projections.reading.pagination import Kind, decode_cursor, page

_COLUMNS = "message_id, seq, type, title, body, created_at, read_at"


def list_inbox(
    pool: ConnectionPool, user_id: UUID, *, limit: int, cursor: str | None, unread_only: bool
) -> dict[str, Any]:
    before = decode_cursor(cursor, Kind.WHOLE)
    where, params = ["recipient_id = %s", "in_inbox"], [user_id]
    if before:
        where.append("seq < %s")
        params.append(int(before[0]))
    if unread_only:
        where.append("read_at IS NULL")
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM notification.messages WHERE {' AND '.join(where)}"
            " ORDER BY seq DESC LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "seq")


def unread_count(pool: ConnectionPool, user_id: UUID) -> int:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT count(*) AS n FROM notification.messages WHERE recipient_id = %s AND in_inbox"
            " AND read_at IS NULL",
            (user_id,),
        ).fetchone()["n"]


def mark_read(pool: ConnectionPool, user_id: UUID, message_id: UUID) -> dict[str, Any]:
    """Someone else's message is as unknown as a missing one."""
    with pool.connection() as conn:
        row = conn.execute(
            "UPDATE notification.messages SET read_at = coalesce(read_at, now())"
            " WHERE message_id = %s AND recipient_id = %s AND in_inbox RETURNING message_id, read_at",
            (message_id, user_id),
        ).fetchone()
    if row is None:
        raise NotFound(f"notification {message_id} not found")
    return row


def mark_all_read(pool: ConnectionPool, user_id: UUID, up_to_seq: int | None) -> int:
    """Up to a message the person has seen, so one that arrived meanwhile stays unread."""
    with pool.connection() as conn:
        return conn.execute(
            "UPDATE notification.messages SET read_at = now() WHERE recipient_id = %s AND in_inbox"
            " AND read_at IS NULL AND (%s::bigint IS NULL OR seq <= %s)",
            (user_id, up_to_seq, up_to_seq),
        ).rowcount


def latest_seq(pool: ConnectionPool, user_id: UUID) -> int:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT coalesce(max(seq), 0) AS seq FROM notification.messages WHERE recipient_id = %s AND in_inbox",
            (user_id,),
        ).fetchone()["seq"]


def items_after(pool: ConnectionPool, user_id: UUID, seq: int, limit: int = 100) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute(
            f"SELECT {_COLUMNS} FROM notification.messages WHERE recipient_id = %s AND in_inbox AND seq > %s"
            " ORDER BY seq LIMIT %s",
            (user_id, seq, limit),
        ).fetchall()
