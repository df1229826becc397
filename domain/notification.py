"""Notification context: the kinds of notice a person can get, on which channels, and each
person's choices (per kind and channel, daily digest, Web Push subscriptions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from uuid import UUID, uuid5

from domain.errors import InvalidInput, NotFound, RuleBroken
from domain.event_conventions import Root

MAX_PUSH_SUBSCRIPTIONS = 20


class Channel(StrEnum):
    INBOX = "inbox"
    EMAIL = "email"
    PUSH = "push"


@dataclass(frozen=True)
class NotificationType:
    key: str
    description: str
    channels: frozenset[Channel]  # where this kind can go
    defaults: frozenset[Channel]  # on until the person turns them off
    security: bool = False  # always sent on all its channels, never gathered into a digest


ALL_CHANNELS = frozenset(Channel)
TYPES: dict[str, NotificationType] = {
    t.key: t
    for t in [
        NotificationType("password_reset", "the code to reset your password",
                         frozenset({Channel.EMAIL}), frozenset({Channel.EMAIL}), security=True),
        NotificationType("account_deactivated", "an admin deactivated your account",
                         frozenset({Channel.EMAIL}), frozenset({Channel.EMAIL}), security=True),
        NotificationType("role_granted", "you were given a new role", ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("creator_application", "the decision on your creator application",
                         ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("certificate", "a certificate issued to you, or revoked", ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("grade", "a teacher set your final grade in a course", ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("course_published", "a new course in a category you follow", ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("course_assigned", "a teacher assigned you a course", ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("lesson_published", "a new lesson in one of your classes", ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("quiz_opening", "a quiz of one of your classes or courses opens soon",
                         ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("quiz_graded", "your quiz score, as soon as you may see it", ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("forum_post", "a forum post that mentions you, replies to you, or is in a thread,"
                         " forum or tag you follow", ALL_CHANNELS, frozenset({Channel.INBOX})),
        NotificationType("forum_answer_accepted", "your answer was accepted", ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("announcement", "an announcement to a course or class of yours, or to everyone",
                         ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("deadline_reminder", "a quiz of yours closes soon, or a course assigned to you is due soon",
                         ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("course_updated", "a course you are enrolled in published a new revision",
                         ALL_CHANNELS, ALL_CHANNELS),
        NotificationType("live_session", "a live exam or study session of yours starts soon",
                         ALL_CHANNELS, ALL_CHANNELS),
    ]
}
# Notices about older events are pointless, and replaying the log (a rebuild, a rule added
# later) must not tell people about things long past.
MAX_EVENT_AGE = timedelta(days=2)


def channel_enabled(choices: dict[str, dict[str, bool]], type_key: str, channel: Channel) -> bool:
    """Whether a person with these choices gets this kind of notice on this channel."""
    kind = TYPES[type_key]
    if channel not in kind.channels:
        return False
    if kind.security:
        return True
    return choices.get(type_key, {}).get(channel.value, channel in kind.defaults)


def settings_id(user_id: UUID) -> UUID:
    return uuid5(user_id, "notification-settings")


def push_subscription_id(user_id: UUID, endpoint: str) -> UUID:
    return uuid5(user_id, "push:" + endpoint)


class NotificationSettings(Root):
    """One per person: their choices and their browsers' push subscriptions."""

    class Created(Root.Created):
        personal_subject = "user_id"  # the aggregate is this person's: all its events are about them
        user_id: UUID

        def apply(self, s: NotificationSettings) -> None:
            s.user_id, s.choices, s.digest, s.digest_hour, s.push = self.user_id, {}, False, 7, {}

    class PreferencesChanged(Root.Event):
        user_id: UUID
        choices: dict[str, dict[str, bool]]
        digest: bool
        digest_hour: int

        def apply(self, s: NotificationSettings) -> None:
            s.choices, s.digest, s.digest_hour = self.choices, self.digest, self.digest_hour

    class PushSubscribed(Root.Event):
        user_id: UUID
        subscription_id: UUID
        endpoint: str
        p256dh: str
        auth: str
        personal_fields = ("endpoint", "p256dh", "auth")
        personal_subject = "user_id"
        secret_fields = ("auth",)

        def apply(self, s: NotificationSettings) -> None:
            s.push[self.subscription_id] = (self.p256dh, self.auth)

    class PushUnsubscribed(Root.Event):
        user_id: UUID
        subscription_id: UUID
        reason: str

        def apply(self, s: NotificationSettings) -> None:
            s.push.pop(self.subscription_id, None)

    @classmethod
    def start(cls, user_id: UUID) -> NotificationSettings:
        return cls._create(cls.Created, id=settings_id(user_id), user_id=user_id)

    def change(self, changes: dict[str, dict[str, bool]], digest: bool | None, digest_hour: int | None) -> bool:
        """Merge the changes into the choices; False when nothing changed."""
        problems = {}
        choices = {k: dict(v) for k, v in self.choices.items()}
        for type_key, channels in changes.items():
            kind = TYPES.get(type_key)
            if kind is None:
                problems[type_key] = f"unknown notification type; known: {', '.join(TYPES)}"
                continue
            for channel, on in channels.items():
                where = f"{type_key}.{channel}"
                if channel not in {c.value for c in kind.channels}:
                    problems[where] = f"{type_key} is not sent on {channel}"
                elif kind.security and not on:
                    problems[where] = "security notices cannot be turned off"
                elif not kind.security:
                    choices.setdefault(type_key, {})[channel] = on
        if digest_hour is not None and not 0 <= digest_hour <= 23:
            problems["digest_hour"] = "an hour of the day in UTC, 0 to 23"
        if problems:
            raise InvalidInput("the preferences have invalid entries", fields=problems)
        digest = self.digest if digest is None else digest
        digest_hour = self.digest_hour if digest_hour is None else digest_hour
        if (choices, digest, digest_hour) == (self.choices, self.digest, self.digest_hour):
            return False
        self.trigger_event(self.PreferencesChanged, user_id=self.user_id, choices=choices,
                           digest=digest, digest_hour=digest_hour)
        return True

    def subscribe_push(self, endpoint: str, p256dh: str, auth: str) -> UUID:
        subscription_id = push_subscription_id(self.user_id, endpoint)
        if self.push.get(subscription_id) == (p256dh, auth):
            return subscription_id
        if subscription_id not in self.push and len(self.push) >= MAX_PUSH_SUBSCRIPTIONS:
            raise RuleBroken(f"at most {MAX_PUSH_SUBSCRIPTIONS} push subscriptions per person")
        self.trigger_event(self.PushSubscribed, user_id=self.user_id, subscription_id=subscription_id,
                           endpoint=endpoint, p256dh=p256dh, auth=auth)
        return subscription_id

    def unsubscribe_push(self, subscription_id: UUID, reason: str) -> None:
        if subscription_id not in self.push:
            raise NotFound(f"push subscription {subscription_id} not found")
        self.trigger_event(self.PushUnsubscribed, user_id=self.user_id,
                           subscription_id=subscription_id, reason=reason)
