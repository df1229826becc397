"""Response models of the notification and communication routes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from api.platform.responses import Written


class InboxMessage(BaseModel):
    message_id: UUID
    seq: int
    type: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


class UnreadCount(BaseModel):
    unread: int


class MarkedRead(BaseModel):
    message_id: UUID
    read_at: datetime


class MarkedAllRead(BaseModel):
    marked: int


class TypeChannels(BaseModel):
    type: str
    description: str
    security: bool
    channels: list[str]


class Preferences(BaseModel):
    """`channels`: per notification type, per channel it may use, whether it is on."""

    channels: dict[str, dict[str, bool]]
    types: list[TypeChannels]
    digest: bool
    digest_hour: int


class VapidKey(BaseModel):
    public_key: str


class PushSubscription(BaseModel):
    subscription_id: UUID
    endpoint: str
    created_at: datetime


class Subscribed(Written):
    subscription_id: UUID


class DeadLetter(BaseModel):
    delivery_id: int
    recipient_id: UUID
    channel: str
    attempts: int
    last_error: str | None
    created_at: datetime
    type: str | None
    title: str


class RetryRequested(Written):
    delivery_id: int
    status: str


class BulletinPosted(Written):
    bulletin_id: UUID


class FeedIssued(Written):
    feed_id: UUID
    path: str
    url: str


class FeedRevoked(Written):
    feed_id: UUID
    revoked: bool


class FeedState(BaseModel):
    active: bool
