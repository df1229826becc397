"""The notifier's decisions: messages (the inbox) and deliveries (the outbox).

These tables live in the schema `notification`, outside the projection's rebuildable
`view_notification`: they carry state the log does not (read marks, delivery attempts), and
a rebuild that replays decisions must find them already there (unique keys, ON CONFLICT DO
NOTHING) instead of sending everything again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

INBOX_CHANNEL = "skillhub_inbox"  # NOTIFY payload: the recipient's id
OUTBOX_CHANNEL = "skillhub_outbox"  # NOTIFY: deliveries are due

DDL = [
    "CREATE SCHEMA IF NOT EXISTS notification",
    # One message per (event, recipient); seq orders the inbox and resumes streams.
    """CREATE TABLE IF NOT EXISTS notification.messages (
        message_id uuid PRIMARY KEY, seq bigserial UNIQUE, event_id uuid NOT NULL,
        event_version int NOT NULL, recipient_id uuid NOT NULL, type text NOT NULL,
        template text NOT NULL, data jsonb NOT NULL, title text NOT NULL, body text NOT NULL,
        in_inbox boolean NOT NULL, created_at timestamptz NOT NULL, read_at timestamptz)""",
    "CREATE INDEX IF NOT EXISTS messages_inbox ON notification.messages (recipient_id, seq) WHERE in_inbox",
    # Whose personal data (besides the recipient's) the message shows: blanked if they are erased.
    "ALTER TABLE notification.messages ADD COLUMN IF NOT EXISTS personal_of uuid",
    "CREATE INDEX IF NOT EXISTS messages_personal_of ON notification.messages (personal_of)"
    " WHERE personal_of IS NOT NULL",
    # status: pending -> sent | dead; held (waits for the digest) -> bundled; cancelled.
    # A digest is a delivery without a message; the held ones point to it.
    """CREATE TABLE IF NOT EXISTS notification.deliveries (
        delivery_id bigserial PRIMARY KEY,
        message_id uuid REFERENCES notification.messages ON DELETE CASCADE,
        recipient_id uuid NOT NULL, channel text NOT NULL,
        target text NOT NULL DEFAULT '', status text NOT NULL,
        attempts int NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text, created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz,
        digest_id bigint REFERENCES notification.deliveries ON DELETE SET NULL,
        UNIQUE (message_id, channel, target))""",
    "CREATE INDEX IF NOT EXISTS deliveries_due ON notification.deliveries (next_attempt_at)"
    " WHERE status = 'pending'",
    "CREATE INDEX IF NOT EXISTS deliveries_held ON notification.deliveries (recipient_id)"
    " WHERE status = 'held'",
    # The last admin retry (domain.dead_letters) applied to the delivery.
    "ALTER TABLE notification.deliveries ADD COLUMN IF NOT EXISTS retries int NOT NULL DEFAULT 0",
]


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn, conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('skillhub:ddl:notification-store'))")
        for ddl in DDL:
            cur.execute(ddl)


def message_id(event: Any, recipient_id: UUID) -> UUID:
    """The same event told to the same person is the same message, however often decided."""
    return uuid5(NAMESPACE_URL, f"skillhub:message:{event.originator_id}:{event.originator_version}:{recipient_id}")


def record_message(
    cur: psycopg.Cursor, *, event: Any, recipient_id: UUID, type_key: str, template: str,
    data: dict[str, Any], title: str, body: str, in_inbox: bool, created_at: datetime, personal_of: UUID | None,
) -> UUID | None:
    """The message's id, or None when this decision was already recorded."""
    cur.execute(
        "INSERT INTO notification.messages (message_id, event_id, event_version, recipient_id, type,"
        " template, data, title, body, in_inbox, created_at, personal_of)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING message_id",
        (message_id(event, recipient_id), event.originator_id, event.originator_version, recipient_id,
         type_key, template, Jsonb(data), title, body, in_inbox, created_at, personal_of),
    )
    row = cur.fetchone()
    if row is None:
        return None
    if in_inbox:
        # NOTIFY is sent at commit, so a listener never sees an uncommitted message.
        cur.execute("SELECT pg_notify(%s, %s)", (INBOX_CHANNEL, str(recipient_id)))
    return row["message_id"]


def add_delivery(
    cur: psycopg.Cursor, *, message: UUID, recipient_id: UUID, channel: str, target: str = "",
    held: bool = False,
) -> None:
    cur.execute(
        "INSERT INTO notification.deliveries (message_id, recipient_id, channel, target, status)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (message, recipient_id, channel, target, "held" if held else "pending"),
    )
    if not held:
        cur.execute("SELECT pg_notify(%s, '')", (OUTBOX_CHANNEL,))


def forget_person(cur: psycopg.Cursor, user_id: UUID) -> None:
    """Erasure: their messages go, and with them every delivery not yet made."""
    cur.execute("DELETE FROM notification.deliveries WHERE recipient_id = %s", (user_id,))
    cur.execute("DELETE FROM notification.messages WHERE recipient_id = %s", (user_id,))


def apply_retry(cur: psycopg.Cursor, delivery_id: int, retry: int) -> None:
    """An admin's retry request (domain.dead_letters): a dead delivery goes back to pending,
    attempts reset. Each request applies once: a replay finds its number already applied."""
    cur.execute(
        "UPDATE notification.deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), retries = %s"
        " WHERE delivery_id = %s AND status = 'dead' AND retries < %s",
        (retry, delivery_id, retry),
    )
    if cur.rowcount:
        cur.execute("SELECT pg_notify(%s, '')", (OUTBOX_CHANNEL,))
