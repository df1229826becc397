"""The session's WebSocket: `/api/v1/live-sessions/{id}/socket`.

Protocol (JSON text frames; docs/live.md has the full list): the client's first frame is
`{"type": "hello", "token": ACCESS_TOKEN, "last_position": N}` (browsers cannot set headers on a
WebSocket). The server answers `welcome`, then every entry after N it missed, in log order, then
entries live; each entry carries its log position, the client's next `last_position`. Before the
token expires the client sends `{"type": "token", "token": NEW}`; the server checks it (and the
person's access) again, and closes with 4401 at the expiry otherwise. Chat, hands,
announcements, integrity signals and WebRTC signalling go the other way (api/live/frames.py).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from uuid import UUID, uuid4

import jwt
from anyio import CancelScope, to_thread
from starlette.websockets import WebSocket, WebSocketDisconnect

from api.live.frames import handle_frame
from api.live.hub import Client, LiveHub
from commands.live import channel
from commands.live.access import LiveRole
from commands.pipeline import Actor, Deps, execute
from commands.identity.sessions import authenticate
from domain.errors import NotFound, SkillhubError
from projections.live import queries
from projections.live.read_model import live
from projections.engine.tracking import NotCaughtUp, wait_for_position

HELLO_SECONDS = 10.0
CATCH_UP_SECONDS = 120.0
UNAUTHORISED, NOT_FOUND = 4401, 4404


def token_expiry(token: str) -> float:
    """The expiry of a token `authenticate` accepted (its signature is checked there)."""
    return float(jwt.decode(token, options={"verify_signature": False})["exp"])


def ice_servers(deps: Deps) -> list[dict[str, Any]]:
    s = deps.settings
    servers: list[dict[str, Any]] = [{"urls": s.live_stun_urls}] if s.live_stun_urls else []
    if s.live_turn_urls:
        servers.append({"urls": s.live_turn_urls, "username": s.live_turn_username,
                        "credential": s.live_turn_credential})
    return servers


async def _hello(ws: WebSocket, deps: Deps, session_id: UUID) -> tuple[Actor, dict[str, Any], int, float]:
    first = await asyncio.wait_for(ws.receive_json(), HELLO_SECONDS)
    if not isinstance(first, dict) or first.get("type") != "hello" or not isinstance(first.get("token"), str):
        raise SkillhubError("the first frame is hello with a token")
    address = ws.client.host if ws.client else ""
    actor = await to_thread.run_sync(authenticate, deps, first["token"], address, ws.headers.get("user-agent", "")[:300])
    connection_id = uuid4()
    done = await to_thread.run_sync(execute, channel.connected,
                                    channel.Presence(session_id=session_id, connection_id=connection_id), actor, deps)
    last = first.get("last_position")
    return actor, {**done.data, "connection_id": connection_id}, last if isinstance(last, int) and last >= 0 else 0, token_expiry(first["token"])


async def session_socket(ws: WebSocket) -> None:
    deps: Deps = ws.app.state.deps
    hub: LiveHub = ws.app.state.live_hub
    session_id: UUID = ws.path_params["session_id"]  # the route converts it
    await ws.accept()
    try:
        actor, seat, last, expires = await _hello(ws, deps, session_id)
    except (SkillhubError, ValueError, TypeError, KeyError, asyncio.TimeoutError, jwt.PyJWTError) as e:
        code = NOT_FOUND if isinstance(e, NotFound) else UNAUTHORISED
        await ws.close(code, getattr(e, "detail", "say hello first")[:120])
        return
    except WebSocketDisconnect:
        return
    examiner = seat["role"] == LiveRole.EXAMINER
    await to_thread.run_sync(hub.ready.wait, 10.0)  # its position is the log's from then on
    client = Client(session_id, actor.user_id, examiner, asyncio.get_running_loop())
    position = hub.attach(client, frozenset(UUID(e) for e in seat["examiners"]))
    connection_id = seat.get("connection_id")
    state = {"actor": actor, "expires": expires, "reason": "closed"}
    try:
        await to_thread.run_sync(_caught_up, deps, position)  # the welcome and the backlog as of `position`
        session = await to_thread.run_sync(queries.session, deps.pool, session_id)
        await ws.send_json({"type": "welcome", "person_id": str(actor.user_id), "role": seat["role"],
                            "position": position, "session": _public(session), "ice_servers": ice_servers(deps),
                            "examiners": seat["examiners"]})
        for row in await to_thread.run_sync(queries.feed_after, deps.pool, session_id, actor.user_id, examiner,
                                            last, position):
            await ws.send_json({"type": "entry", "position": row["position"], "kind": row["kind"], "body": row["body"]})
        await _serve(ws, deps, hub, client, state)
    except WebSocketDisconnect:
        pass
    except NotCaughtUp:
        state["reason"] = "server busy"
        await ws.close(1013, "the server is busy; reconnect with your last position")
    finally:
        hub.detach(client)
        with CancelScope(shield=True):  # the drop happened: record it even when the server is stopping
            await to_thread.run_sync(_record_drop, deps, state["actor"], session_id, connection_id, state["reason"])


def _caught_up(deps: Deps, position: int) -> None:
    """The read model holds everything up to the hub's position (its backlog comes from there).
    A class connecting at once can keep it behind longer than a request waits: keep waiting."""
    deadline = time.monotonic() + CATCH_UP_SECONDS
    while True:
        try:
            return wait_for_position(deps.pool, [live], position, deps.settings.read_wait_seconds)
        except NotCaughtUp:
            if time.monotonic() >= deadline:
                raise


def _public(session: dict[str, Any] | None) -> dict[str, Any] | None:
    if session is None:
        return None
    keep = ("session_id", "kind", "title", "class_id", "quiz_id", "starts_at", "ends_at", "closes_at", "status", "rules")
    return {k: (str(v) if k.endswith("_id") else v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in session.items() if k in keep}


def _record_drop(deps: Deps, actor: Actor, session_id: UUID, connection_id: Any, reason: str) -> None:
    try:
        execute(channel.dropped, channel.Presence(session_id=session_id, connection_id=connection_id or uuid4(),
                                                  reason=reason), actor, deps)
    except SkillhubError:
        pass


async def _serve(ws: WebSocket, deps: Deps, hub: LiveHub, client: Client, state: dict[str, Any]) -> None:
    """Send the hub's entries and answer the client's frames until either side ends."""
    async def sender() -> None:
        while True:
            await ws.send_json(await client.queue.get())

    sending = asyncio.create_task(sender())
    try:
        while True:
            remaining = state["expires"] - time.time()
            if remaining <= 0:
                state["reason"] = "token expired"
                await ws.close(UNAUTHORISED, "access token expired")
                return
            try:
                frame = await asyncio.wait_for(ws.receive_json(), remaining)
            except asyncio.TimeoutError:
                continue
            except ValueError:
                await ws.send_json({"type": "error", "status": 422, "detail": "frames are JSON objects"})
                continue
            closing = await handle_frame(ws, deps, hub, client, state, frame)
            if closing:
                return
    finally:
        sending.cancel()
