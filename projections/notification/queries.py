"""Queries on the notification read model: a person's preferences, push subscriptions and
followed categories; the timed notices waiting for the announcement scheduler."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.notification import TYPES, Channel, channel_enabled


def preferences(pool: ConnectionPool, user_id: UUID) -> dict[str, Any]:
    """Every type with its channels as they apply now (defaults filled in)."""
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT choices, digest, digest_hour FROM view_notification.settings WHERE user_id = %s", (user_id,)
        ).fetchone()
    row = row or {"choices": {}, "digest": False, "digest_hour": 7}
    return {
        "channels": {
            key: {c.value: channel_enabled(row["choices"], key, c) for c in Channel if c in kind.channels}
            for key, kind in TYPES.items()
        },
        "types": [
            {"type": key, "description": kind.description, "security": kind.security,
             "channels": sorted(c.value for c in kind.channels)}
            for key, kind in TYPES.items()
        ],
        "digest": row["digest"],
        "digest_hour": row["digest_hour"],
    }


def push_subscriptions(pool: ConnectionPool, user_id: UUID) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT subscription_id, endpoint, created_at FROM view_notification.push_subscriptions"
            " WHERE user_id = %s ORDER BY created_at",
            (user_id,),
        ).fetchall()


def followed_categories(pool: ConnectionPool, user_id: UUID) -> list[dict[str, Any]]:
    """The categories a person follows that still exist, by name."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT c.category_id, c.name, c.parent_id FROM view_notification.follows f"
            " JOIN view_notification.categories c USING (category_id) WHERE f.user_id = %s ORDER BY c.name",
            (user_id,),
        ).fetchall()


def pending_timed_notices(pool: ConnectionPool, since: datetime) -> list[dict[str, Any]]:
    """Timed notices not made yet whose moment is after `since` (older ones are not worth it)."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT kind, subject_id, moment FROM view_notification.timed_notices WHERE NOT done AND moment > %s"
            " ORDER BY moment",
            (since,),
        ).fetchall()
