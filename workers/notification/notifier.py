"""The delivery worker: sends what the notification projection decided (e-mail, Web Push),
retrying with exponential backoff; after the last try a delivery is a dead letter.

Each delivery is claimed with FOR UPDATE SKIP LOCKED and marked in the same transaction
as its send, so several notifiers share the work and a restart resends nothing already
marked. (A crash between the SMTP server's OK and the commit can still repeat that one mail;
the copy carries the same Message-ID, derived from the delivery.)
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import psycopg
from psycopg import sql

from adapters.documents.message_templates import message
from adapters.events.event_store import EVENTS_TABLE, EventStore
from adapters.infrastructure import Infrastructure
from adapters.outside.mail import Mailer, delivery_message_id
from adapters.outside.webpush import SubscriptionGone, WebPusher
from commands.notification.notification import (
    DropGoneSubscription,
    drop_gone_subscription,
)
from commands.pipeline import SYSTEM, Deps, deps_for, execute
from domain.event_conventions import ERASED
from projections.notification import outbox
from projections.notification.rules import BY_TEMPLATE
from projections.notification.store import OUTBOX_CHANNEL
from workers.notification.digest import DigestScheduler

if TYPE_CHECKING:
    from workers.supervision import Workers

log = logging.getLogger(__name__)


class Undeliverable(Exception):
    """Nothing to retry: no address, the subscription or the secret is gone."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float

    def after(self, attempts: int) -> timedelta | None:
        """The wait before the next try once `attempts` failed; None: give up."""
        if attempts >= self.max_attempts:
            return None
        return timedelta(seconds=min(self.base_seconds * 2 ** (attempts - 1), 6 * 3600))


class Notifier:
    def __init__(self, deps: Deps, database_url: str, mailer: Mailer | None, pusher: WebPusher,
                 policy: RetryPolicy) -> None:
        self.deps, self.pool, self.store = deps, deps.pool, deps.store
        self.database_url, self.mailer, self.pusher, self.policy = database_url, mailer, pusher, policy
        # Without an SMTP server e-mails stay pending until one is configured.
        self.channels = (["email"] if mailer else []) + ["push"]

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self._serve(stop)
            except psycopg.Error as e:
                log.warning("notifier: database error (%s); again in 5 s", e)
                stop.wait(5)

    def _serve(self, stop: threading.Event) -> None:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(OUTBOX_CHANNEL)))
            while not stop.is_set():
                self.deliver_due(stop)
                with self.pool.connection() as c:
                    wait = outbox.seconds_until_next_due(c, self.channels)
                # Sleep until a retry is due or new deliveries are announced; look at stop each second.
                for _ in conn.notifies(timeout=1.0 if wait is None else min(max(wait, 0.05), 1.0), stop_after=1):
                    pass

    def deliver_due(self, stop: threading.Event | None = None) -> int:
        """Attempt every due delivery; returns how many were attempted."""
        attempted = 0
        while stop is None or not stop.is_set():
            with self.pool.connection() as conn, conn.transaction():
                delivery = outbox.claim_due(conn, self.channels)
                if delivery is None:
                    return attempted
                self._attempt(conn, delivery)
            attempted += 1
        return attempted

    def _attempt(self, conn: psycopg.Connection, d: dict[str, Any]) -> None:
        try:
            (self._email if d["channel"] == "email" else self._push)(conn, d)
        except Undeliverable as e:
            outbox.mark_cancelled(conn, d["delivery_id"], str(e))
        except SubscriptionGone as e:
            outbox.mark_cancelled(conn, d["delivery_id"], f"subscription gone: {e}")
            cmd = DropGoneSubscription(user_id=d["recipient_id"], subscription_id=UUID(d["target"]))
            execute(drop_gone_subscription, cmd, SYSTEM, self.deps)
        except Exception as e:  # noqa: BLE001 - any other failure is worth another try
            retry_in = self.policy.after(d["attempts"] + 1)
            log.warning("delivery %s failed (%s); %s", d["delivery_id"], e,
                        f"retry in {retry_in}" if retry_in else "dead letter")
            outbox.mark_failed(conn, d["delivery_id"], f"{type(e).__name__}: {e}", retry_in)
        else:
            outbox.mark_sent(conn, d["delivery_id"])

    def _email(self, conn: psycopg.Connection, d: dict[str, Any]) -> None:
        person = conn.execute(
            "SELECT email, display_name FROM view_notification.people WHERE user_id = %s", (d["recipient_id"],)
        ).fetchone()
        if person is None or not person["email"]:
            raise Undeliverable("no e-mail address for the recipient")
        if d["message_id"] is None:
            items = outbox.digest_items(conn, d["delivery_id"])
            mail = message("digest", {"name": person["display_name"], "items": items})
        else:
            m = conn.execute(
                "SELECT template, data, event_id, event_version FROM notification.messages WHERE message_id = %s",
                (d["message_id"],),
            ).fetchone()
            context = {**m["data"], **secrets_of(conn, self.store, m), "name": person["display_name"]}
            mail = message(m["template"], context)
        assert self.mailer is not None  # email is claimed only with a mailer
        message_id = delivery_message_id(d["delivery_id"], d["created_at"], self.mailer.sender)
        self.mailer.send(person["email"], mail, message_id, {"X-SkillHub-Delivery": str(d["delivery_id"])})

    def _push(self, conn: psycopg.Connection, d: dict[str, Any]) -> None:
        sub = conn.execute(
            "SELECT endpoint, p256dh, auth FROM view_notification.push_subscriptions WHERE subscription_id = %s",
            (d["target"],),
        ).fetchone()
        if sub is None:
            raise Undeliverable("the push subscription was removed")
        m = conn.execute(
            "SELECT message_id, type, title, body FROM notification.messages WHERE message_id = %s",
            (d["message_id"],),
        ).fetchone()
        payload = {"message_id": str(m["message_id"]), "type": m["type"], "title": m["title"], "body": m["body"]}
        self.pusher.send(sub["endpoint"], sub["p256dh"], sub["auth"], payload)


def secrets_of(conn: psycopg.Connection, store: EventStore, m: dict[str, Any]) -> dict[str, Any]:
    """A rule's secrets, read from the decrypted event now: the outbox never stores them."""
    rule = BY_TEMPLATE.get(m["template"])
    if rule is None or rule.secrets is None:
        return {}
    row = conn.execute(
        sql.SQL("SELECT originator_id, originator_version, topic, state FROM public.{}"
                " WHERE originator_id = %s AND originator_version = %s").format(sql.Identifier(EVENTS_TABLE)),
        (m["event_id"], m["event_version"]),
    ).fetchone()
    secrets = rule.secrets(store.decode(row))
    if ERASED in secrets.values():
        raise Undeliverable("the person was erased")
    return secrets


def start_notifier(infra: Infrastructure, workers: Workers) -> None:
    s = infra.settings
    notifier = Notifier(deps_for(infra), infra.database_url, Mailer.from_settings(s), WebPusher.from_settings(s),
                        RetryPolicy(s.notify_max_attempts, s.notify_retry_base_seconds))
    workers.spawn("notifier", notifier.run)
    workers.spawn("notifier-digest", DigestScheduler(infra.pool).run)
