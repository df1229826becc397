"""People as the notification rules need them: their e-mail address and name, whether
active, their choices, their browsers' push subscriptions, and who applied to be a creator.

Part of the notification projection (projections/notification/decisions.py merges it)."""

from __future__ import annotations

from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from domain.creator_applications import CreatorApplication
from domain.event_conventions import ERASED
from domain.identity import User
from domain.notification import NotificationSettings
from projections.engine.engine import Projection

people = Projection(
    name="notification",
    tables=[
        """CREATE TABLE IF NOT EXISTS people (
            user_id uuid PRIMARY KEY, email text, display_name text NOT NULL, active boolean NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS settings (
            user_id uuid PRIMARY KEY, choices jsonb NOT NULL, digest boolean NOT NULL,
            digest_hour int NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS push_subscriptions (
            subscription_id uuid PRIMARY KEY, user_id uuid NOT NULL, endpoint text NOT NULL,
            p256dh text NOT NULL, auth text NOT NULL, created_at timestamptz NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS push_subscriptions_user ON push_subscriptions (user_id)",
        "CREATE TABLE IF NOT EXISTS applications (application_id uuid PRIMARY KEY, user_id uuid NOT NULL)",
    ],
)


@people.on
def registered(cur: psycopg.Cursor, e: User.Registered) -> None:
    cur.execute(
        "INSERT INTO people (user_id, email, display_name, active) VALUES (%s, %s, %s, true)"
        " ON CONFLICT (user_id) DO NOTHING",
        (e.originator_id, None if e.email == ERASED else e.email, e.display_name),
    )


@people.on
def profile_updated(cur: psycopg.Cursor, e: User.ProfileUpdated) -> None:
    cur.execute("UPDATE people SET display_name = %s WHERE user_id = %s", (e.display_name, e.originator_id))


@people.on
def deactivated(cur: psycopg.Cursor, e: User.Deactivated) -> None:
    cur.execute("UPDATE people SET active = false WHERE user_id = %s", (e.originator_id,))


@people.on
def application_submitted(cur: psycopg.Cursor, e: CreatorApplication.Submitted) -> None:
    cur.execute(
        "INSERT INTO applications (application_id, user_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (e.originator_id, e.user_id),
    )


@people.on
def preferences_changed(cur: psycopg.Cursor, e: NotificationSettings.PreferencesChanged) -> None:
    cur.execute(
        "INSERT INTO settings (user_id, choices, digest, digest_hour) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (user_id) DO UPDATE SET choices = EXCLUDED.choices, digest = EXCLUDED.digest,"
        " digest_hour = EXCLUDED.digest_hour",
        (e.user_id, Jsonb(e.choices), e.digest, e.digest_hour),
    )


@people.on
def push_subscribed(cur: psycopg.Cursor, e: NotificationSettings.PushSubscribed) -> None:
    if ERASED in (e.endpoint, e.p256dh, e.auth):
        return
    cur.execute(
        "INSERT INTO push_subscriptions (subscription_id, user_id, endpoint, p256dh, auth, created_at)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (subscription_id) DO UPDATE"
        " SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth",
        (e.subscription_id, e.user_id, e.endpoint, e.p256dh, e.auth, e.timestamp),
    )


@people.on
def push_unsubscribed(cur: psycopg.Cursor, e: NotificationSettings.PushUnsubscribed) -> None:
    cur.execute("DELETE FROM push_subscriptions WHERE subscription_id = %s", (e.subscription_id,))


def forget(cur: psycopg.Cursor, user_id: UUID) -> None:
    for table in ("people", "settings", "push_subscriptions"):
        cur.execute(f"DELETE FROM {table} WHERE user_id = %s", (user_id,))
