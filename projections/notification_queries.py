"""Queries on the notification read model: a person's preferences and push subscriptions."""

from __future__ import annotations

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
