"""Notification choices and Web Push subscriptions (each person manages their own), and
admins' retries of dead deliveries."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

from adapters.events.event_store import ConcurrentChange
from commands.loading import find
from commands.number_ranges import HourOfDay, Sequence
from commands.pipeline import Actor, Deps, Done, require_login, require_role
from domain.dead_letters import DeadLetter, dead_letter_id
from domain.errors import Conflict, InvalidInput, NotFound
from domain.identity import Role
from domain.notification import NotificationSettings, settings_id
from projections.notification import outbox


class ChangePreferences(BaseModel):
    channels: dict[str, dict[str, bool]] = Field(
        default_factory=dict, description='per notification type, per channel: {"role_granted": {"email": false}}'
    )
    digest: bool | None = Field(default=None, description="gather e-mails into one message a day")
    digest_hour: HourOfDay | None = Field(default=None, description="hour of the day (UTC) the digest is sent")


def _b64url_bytes(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


class PushKeys(BaseModel):
    p256dh: str = Field(max_length=200, description="the browser's P-256 public key, base64url")
    auth: str = Field(max_length=100, description="the browser's 16-byte auth secret, base64url")

    @field_validator("p256dh")
    @classmethod
    def _point(cls, v: str) -> str:
        raw = _b64url_bytes(v)
        if len(raw) != 65 or raw[0] != 4:
            raise ValueError("must be an uncompressed P-256 point (65 bytes)")
        return v

    @field_validator("auth")
    @classmethod
    def _secret(cls, v: str) -> str:
        if len(_b64url_bytes(v)) != 16:
            raise ValueError("must be 16 bytes")
        return v


class SubscribePush(BaseModel):
    """What the browser's PushManager.subscribe() returns (PushSubscription.toJSON())."""

    endpoint: str = Field(min_length=8, max_length=2000)
    keys: PushKeys


class UnsubscribePush(BaseModel):
    subscription_id: UUID


class DropGoneSubscription(BaseModel):
    user_id: UUID
    subscription_id: UUID


def _settings_of(deps: Deps, user_id: UUID) -> NotificationSettings:
    return find(deps, NotificationSettings, settings_id(user_id)) or NotificationSettings.start(user_id)


def _record(deps: Deps, settings: NotificationSettings) -> int:
    try:
        return deps.store.record(settings)
    except ConcurrentChange:
        raise Conflict("your notification settings were changed at the same time; retry") from None


def change_preferences(cmd: ChangePreferences, actor: Actor, deps: Deps) -> Done:
    settings = _settings_of(deps, require_login(actor))
    changed = settings.change(cmd.channels, cmd.digest, cmd.digest_hour)
    return Done(_record(deps, settings) if changed else 0)


def subscribe_push(cmd: SubscribePush, actor: Actor, deps: Deps) -> Done:
    user_id = require_login(actor)
    parts = urlsplit(cmd.endpoint)
    # Real push services are HTTPS; plain HTTP only for a local push service in dev mode.
    allowed = {"https", "http"} if deps.settings.dev_mode else {"https"}
    if parts.scheme not in allowed or not parts.hostname:
        raise InvalidInput("the push endpoint must be an https URL", fields={"endpoint": "must be an https URL"})
    settings = _settings_of(deps, user_id)
    subscription_id = settings.subscribe_push(cmd.endpoint, cmd.keys.p256dh, cmd.keys.auth)
    position = _record(deps, settings) if settings.pending_events else 0
    return Done(position, {"subscription_id": subscription_id})


def unsubscribe_push(cmd: UnsubscribePush, actor: Actor, deps: Deps) -> Done:
    settings = _settings_of(deps, require_login(actor))
    settings.unsubscribe_push(cmd.subscription_id, "by the subscriber")
    return Done(_record(deps, settings))


def drop_gone_subscription(cmd: DropGoneSubscription, actor: Actor, deps: Deps) -> Done:
    """The push service says the subscription no longer exists (404/410): forget it."""
    require_role(actor, [Role.ADMIN])
    settings = find(deps, NotificationSettings, settings_id(cmd.user_id))
    if settings is None or cmd.subscription_id not in settings.push:
        return Done(0)
    settings.unsubscribe_push(cmd.subscription_id, "gone at the push service")
    return Done(_record(deps, settings))


class RetryDeadLetter(BaseModel):
    delivery_id: Sequence


def retry_dead_letter(cmd: RetryDeadLetter, actor: Actor, deps: Deps) -> Done:
    """Recorded as an event (auditors see who retried what); the notification projection puts
    the delivery back in the outbox when it applies it."""
    require_role(actor, [Role.ADMIN])
    applied = outbox.dead_delivery_retries(deps.pool, cmd.delivery_id)
    if applied is None:
        raise NotFound(f"no dead delivery {cmd.delivery_id}")
    letter = find(deps, DeadLetter, dead_letter_id(cmd.delivery_id)) or DeadLetter.start(cmd.delivery_id)
    letter.request_retry(applied)
    return Done(deps.store.record(letter), {"delivery_id": cmd.delivery_id, "status": "retry requested"})
