"""The notifier's deciding projection: follows the log, keeps what the rules need (people and
their choices in notification_people.py; the audiences of courses, classes and quizzes in
notification_audiences.py and notification_quizzes.py; timed notices in notification_timed.py)
and, for each event a rule covers, writes the message and its deliveries in the same
transaction as its tracking position. A crash therefore never loses a decision nor makes one
twice; sending is workers/notification/notifier.py's job.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from adapters.documents import message_templates
from domain.dead_letters import DeadLetter
from domain.event_conventions import ERASED
from domain.identity import User
from domain.notification import MAX_EVENT_AGE, TYPES, Channel, channel_enabled
from projections.engine.engine import Handler, Projection
from projections.notification import store
from projections.notification.audiences import audiences, erase_personal_data
from projections.notification.forum import forum_audience
from projections.notification.people import forget, people
from projections.notification.quizzes import quiz_state
from projections.notification.rules import BY_TEMPLATE, RULES, Rule
from projections.notification.timed import timed

_PARTS = (people, audiences, quiz_state, timed, forum_audience)  # each handles events of its own; none twice

notification = Projection(
    name="notification",
    version=5,  # see docs/operations.md "Upgrades" (3: the forum's audiences; 4: reminders and revisions;
    # 5: forum posts' mentions and approval)
    tables=[ddl for part in _PARTS for ddl in part.tables],
    handlers={cls: handler for part in _PARTS for cls, handler in part.handlers.items()},
)


@notification.on
def erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    forget(cur, e.originator_id)
    erase_personal_data(cur, e.originator_id)
    store.forget_person(cur, e.originator_id)
    _blank_in_messages(cur, e.originator_id)


def _blank_in_messages(cur: psycopg.Cursor, user_id: UUID) -> None:
    """Messages to others that show this person's personal data (a teacher's lesson title) keep
    their place in the inbox, with those values erased."""
    cur.execute("SELECT message_id, template, data FROM notification.messages WHERE personal_of = %s", (user_id,))
    for m in cur.fetchall():
        data = {**m["data"], **dict.fromkeys(BY_TEMPLATE[m["template"]].personal, ERASED)}
        cur.execute(
            "UPDATE notification.messages SET data = %s, title = %s, body = %s, personal_of = NULL"
            " WHERE message_id = %s",
            (Jsonb(data), message_templates.subject(m["template"], data), message_templates.body(m["template"], data),
             m["message_id"]),
        )


@notification.on
def retry_requested(cur: psycopg.Cursor, e: DeadLetter.RetryRequested) -> None:
    store.apply_retry(cur, e.delivery_id, e.retry)


def _audience(cur: psycopg.Cursor, rule: Rule, e: Any) -> list[tuple[UUID, set[Channel], bool]]:
    """(recipient, channels, digest) of everyone to be told, on at least one channel."""
    told = []
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
        if channels:
            told.append((recipient, channels, prefs["digest"]))
    return told


def decide(cur: psycopg.Cursor, rule: Rule, e: Any) -> None:
    told = _audience(cur, rule, e)
    if not told:
        return
    kind = TYPES[rule.type]
    context = rule.context(cur, e)
    title = message_templates.subject(rule.template, context)
    # A rule with secrets is e-mail only (see the unit tests): its text needs the secret.
    body = "" if rule.secrets else message_templates.body(rule.template, context)
    personal_of = rule.personal_of(cur, e) if rule.personal_of else None
    for recipient, channels, digest in told:
        message = store.record_message(
            cur, event=e, recipient_id=recipient, type_key=rule.type, template=rule.template, data=context,
            title=title, body=body, in_inbox=Channel.INBOX in channels, created_at=e.timestamp,
            personal_of=personal_of,
        )
        if message is None:
            continue  # decided before (a replay)
        if Channel.EMAIL in channels:
            store.add_delivery(cur, message=message, recipient_id=recipient, channel=Channel.EMAIL.value,
                               held=digest and not kind.security)
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
