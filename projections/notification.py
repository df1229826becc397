"""The notifier's deciding projection: follows the log, keeps what the rules need (people,
their choices, push subscriptions, applicants) and, for each event a rule covers, writes the
message and its deliveries in the same transaction as its tracking position. A crash
therefore never loses a decision nor makes one twice; sending is workers/notifier.py's job.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from adapters import message_templates
from domain.event_conventions import ERASED
from domain.identity import CreatorApplication, User
from domain.notification import TYPES, Channel, NotificationSettings, channel_enabled
from projections import notification_store as store
from projections.engine import Handler, Projection
from projections.notification_rules import RULES, Rule

# Notices about older events are pointless, and replaying the log (a rebuild, a rule added
# later) must not tell people about things long past.
MAX_EVENT_AGE = timedelta(days=2)

notification = Projection(
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


@notification.on(User.Registered)
def registered(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute(
        "INSERT INTO people (user_id, email, display_name, active) VALUES (%s, %s, %s, true)"
        " ON CONFLICT (user_id) DO NOTHING",
        (e.originator_id, None if e.email == ERASED else e.email, e.display_name),
    )


@notification.on(User.ProfileUpdated)
def profile_updated(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("UPDATE people SET display_name = %s WHERE user_id = %s", (e.display_name, e.originator_id))


@notification.on(User.Deactivated)
def deactivated(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("UPDATE people SET active = false WHERE user_id = %s", (e.originator_id,))


@notification.on(User.Erased)
def erased(cur: psycopg.Cursor, e: Any) -> None:
    for table in ("people", "settings", "push_subscriptions"):
        cur.execute(f"DELETE FROM {table} WHERE user_id = %s", (e.originator_id,))
    store.forget_person(cur, e.originator_id)


@notification.on(CreatorApplication.Submitted)
def application_submitted(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute(
        "INSERT INTO applications (application_id, user_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (e.originator_id, e.user_id),
    )


@notification.on(NotificationSettings.PreferencesChanged)
def preferences_changed(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute(
        "INSERT INTO settings (user_id, choices, digest, digest_hour) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (user_id) DO UPDATE SET choices = EXCLUDED.choices, digest = EXCLUDED.digest,"
        " digest_hour = EXCLUDED.digest_hour",
        (e.user_id, Jsonb(e.choices), e.digest, e.digest_hour),
    )


@notification.on(NotificationSettings.PushSubscribed)
def push_subscribed(cur: psycopg.Cursor, e: Any) -> None:
    if ERASED in (e.endpoint, e.p256dh, e.auth):
        return
    cur.execute(
        "INSERT INTO push_subscriptions (subscription_id, user_id, endpoint, p256dh, auth, created_at)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (subscription_id) DO UPDATE"
        " SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth",
        (e.subscription_id, e.user_id, e.endpoint, e.p256dh, e.auth, e.timestamp),
    )


@notification.on(NotificationSettings.PushUnsubscribed)
def push_unsubscribed(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("DELETE FROM push_subscriptions WHERE subscription_id = %s", (e.subscription_id,))


def decide(cur: psycopg.Cursor, rule: Rule, e: Any) -> None:
    kind = TYPES[rule.type]
    for recipient in rule.recipients(cur, e):
        if recipient == e.actor_id:
            continue  # nobody is told of their own action
        cur.execute("SELECT active FROM people WHERE user_id = %s", (recipient,))
        person = cur.fetchone()
        if person is None or not person["active"]:
            continue
        cur.execute("SELECT choices, digest FROM settings WHERE user_id = %s", (recipient,))
        prefs = cur.fetchone() or {"choices": {}, "digest": False}
        channels = {c for c in Channel if channel_enabled(prefs["choices"], rule.type, c)}
        if not channels:
            continue
        context = rule.context(e)
        # A rule with secrets is e-mail only (see the unit tests): its text needs the secret.
        body = "" if rule.secrets else message_templates.body(rule.template, context)
        message = store.record_message(
            cur, event=e, recipient_id=recipient, type_key=rule.type, template=rule.template,
            data=context, title=message_templates.subject(rule.template, context), body=body,
            in_inbox=Channel.INBOX in channels, created_at=e.timestamp,
        )
        if message is None:
            continue  # decided before (a replay)
        if Channel.EMAIL in channels:
            store.add_delivery(cur, message=message, recipient_id=recipient, channel=Channel.EMAIL.value,
                               held=prefs["digest"] and not kind.security)
        if Channel.PUSH in channels:
            cur.execute("SELECT subscription_id FROM push_subscriptions WHERE user_id = %s", (recipient,))
            for sub in cur.fetchall():
                store.add_delivery(cur, message=message, recipient_id=recipient, channel=Channel.PUSH.value,
                                   target=str(sub["subscription_id"]))


def _deciding(rule: Rule, then: Handler | None) -> Handler:
    def handler(cur: psycopg.Cursor, e: Any) -> None:
        if datetime.now(UTC) - e.timestamp <= MAX_EVENT_AGE:
            decide(cur, rule, e)
        if then is not None:
            then(cur, e)  # e.g. a deactivation is told before the person is marked inactive

    return handler


for _rule in RULES:
    notification.on(_rule.event)(_deciding(_rule, notification.handlers.get(_rule.event)))
