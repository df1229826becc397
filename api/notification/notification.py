"""Notification endpoints: the inbox and its live stream, preferences, Web Push, dead letters."""

from __future__ import annotations

import threading
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from adapters.outside.webpush import WebPusher
from api.notification.responses import (
    DeadLetter,
    InboxMessage,
    MarkedAllRead,
    MarkedRead,
    Preferences,
    PushSubscription,
    RetryRequested,
    Subscribed,
    UnreadCount,
    VapidKey,
)
from api.notification.stream import InboxSignals, inbox_events
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.links import follow_ups
from api.platform.media_types import EVENT_STREAM, answers
from api.platform.read_position import read_after
from api.platform.responses import Page, Written
from commands.notification import notification as commands
from commands.number_ranges import Sequence
from commands.pipeline import require_login, require_role
from domain.identity import Role
from projections.notification import inbox, outbox, queries
from projections.notification.decisions import notification

router = APIRouter(prefix="/api/v1/notifications", tags=["notification"])
Limit = Annotated[int, Query(ge=1, le=200)]
_signals_lock = threading.Lock()


def _signals(request: Request, conninfo: str) -> InboxSignals:
    with _signals_lock:
        if not hasattr(request.app.state, "inbox_signals"):
            request.app.state.inbox_signals = InboxSignals(conninfo)
        return request.app.state.inbox_signals


@router.get("", response_model=Page[InboxMessage], description="Who: any logged-in person, their own inbox, newest first.")
def list_notifications(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None,
    unread_only: bool = False, _: None = read_after([notification]),
) -> dict[str, Any]:
    user_id = require_login(actor)
    return inbox.list_inbox(deps.pool, user_id, limit=limit, cursor=cursor, unread_only=unread_only)


@router.get("/unread-count", response_model=UnreadCount, description="Who: any logged-in person, about their own inbox.")
def unread_count(actor: ActorDep, deps: DepsDep, _: None = read_after([notification])) -> dict[str, int]:
    user_id = require_login(actor)
    return {"unread": inbox.unread_count(deps.pool, user_id)}


@router.post("/{message_id}/read", response_model=MarkedRead, description="Who: the notification's recipient.")
def mark_read(message_id: UUID, actor: ActorDep, deps: DepsDep) -> dict[str, Any]:
    return inbox.mark_read(deps.pool, require_login(actor), message_id)


@router.post("/read-all", response_model=MarkedAllRead, description="Who: any logged-in person. Marks their inbox read, up to `up_to` (a seq) if given.")
def mark_all_read(actor: ActorDep, deps: DepsDep, up_to: Annotated[Sequence | None, Query()] = None) -> dict[str, int]:
    return {"marked": inbox.mark_all_read(deps.pool, require_login(actor), up_to)}


@router.get(
    "/stream", response_class=StreamingResponse, responses=answers(EVENT_STREAM),
    description="Who: any logged-in person. Server-sent events (`event: notification`, `id` = seq) for new"
    " inbox messages, with heartbeats; ends after `max_seconds`, resume with Last-Event-ID.",
)
def stream(
    request: Request, actor: ActorDep, deps: DepsDep,
    max_seconds: Annotated[int | None, Query(ge=1, le=3600)] = None,
    last_event_id: Annotated[Sequence | None, Header()] = None,
) -> StreamingResponse:
    user_id = require_login(actor)
    s = deps.settings
    events = inbox_events(
        _signals(request, deps.pool.conninfo), deps.pool, user_id, last_event_id,
        s.notify_stream_heartbeat_seconds, min(max_seconds or s.notify_stream_max_seconds, s.notify_stream_max_seconds),
    )
    return StreamingResponse(events, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/preferences", response_model=Preferences, description="Who: any logged-in person, their own choices (defaults filled in).")
def get_preferences(actor: ActorDep, deps: DepsDep, _: None = read_after([notification])) -> dict[str, Any]:
    user_id = require_login(actor)
    return queries.preferences(deps.pool, user_id)


@router.put("/preferences", response_model=Written, description="Who: any logged-in person, their own. Security notices cannot be turned off.")
def put_preferences(body: commands.ChangePreferences, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(commands.change_preferences, body, actor, deps, response)


@router.get("/vapid-public-key", response_model=VapidKey, description="Who: anyone. The applicationServerKey for PushManager.subscribe().")
def vapid_public_key(deps: DepsDep) -> dict[str, str]:
    return {"public_key": WebPusher.from_settings(deps.settings).public_key}


@router.get("/push-subscriptions", response_model=list[PushSubscription], description="Who: any logged-in person, their own browsers.")
def list_push_subscriptions(actor: ActorDep, deps: DepsDep, _: None = read_after([notification])) -> list[dict[str, Any]]:
    user_id = require_login(actor)
    return queries.push_subscriptions(deps.pool, user_id)


@router.post("/push-subscriptions", status_code=201, response_model=Subscribed, responses=follow_ups(
    201, "subscription_id", "subscription_id", "DELETE /api/v1/notifications/push-subscriptions/{subscription_id}"), description="Who: any logged-in person, for their own browser.")
def subscribe_push(body: commands.SubscribePush, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(commands.subscribe_push, body, actor, deps, response)


@router.delete("/push-subscriptions/{subscription_id}", response_model=Written, description="Who: the subscription's owner.")
def unsubscribe_push(subscription_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(commands.unsubscribe_push, commands.UnsubscribePush(subscription_id=subscription_id), actor, deps, response)


@router.get("/dead-letters", response_model=Page[DeadLetter], description="Who: admins. Deliveries that failed every try. Pass `min_position`"
            " from a retry to see the list without it.")
def dead_letters(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None, _: None = read_after([notification]),
) -> dict[str, Any]:
    require_role(actor, [Role.ADMIN])
    return outbox.dead_letters(deps.pool, limit=limit, cursor=cursor)


@router.post("/dead-letters/{delivery_id}/retry", response_model=RetryRequested, description="Who: admins. Records a retry request; the dead"
             " delivery goes back to the outbox (attempts reset) once the notification read model applied it (409"
             " while an earlier request is on its way).")
def retry_dead_letter(delivery_id: Annotated[Sequence, Path()], actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(commands.retry_dead_letter, commands.RetryDeadLetter(delivery_id=delivery_id), actor, deps, response)
