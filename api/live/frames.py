"""What a client may send on the session's WebSocket, and what each frame does. Every frame
but signalling runs a command (so chat, hands, announcements and integrity signals are events,
checked as over HTTP); a refused one gets an `error` frame and the socket stays open."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from anyio import to_thread
from pydantic import ValidationError
from starlette.websockets import WebSocket

from api.live.hub import Client, LiveHub
from api.platform.problems import STATUS
from commands.live import channel
from commands.live.access import LiveRole, live_role, role_in
from commands.loading import find
from commands.pipeline import Deps, execute
from commands.identity.sessions import authenticate
from domain.errors import Forbidden, InvalidInput, SkillhubError, Unauthenticated
from domain.live.sessions import LiveSession

def status_of(error: SkillhubError) -> int:
    return next((s for cls, s in STATUS.items() if isinstance(error, cls)), 400)


_SAY = {"chat": "chat", "hand": "hand", "announce": "announcement"}


async def handle_frame(ws: WebSocket, deps: Deps, hub: LiveHub, client: Client, state: dict[str, Any],
                       frame: Any) -> bool:
    """True when the socket is to close."""
    kind = frame.get("type") if isinstance(frame, dict) else None
    try:
        if kind == "ping":
            await ws.send_json({"type": "pong", "position": hub.position})
        elif kind == "token":
            await _renew(ws, deps, client, state, frame)
        elif kind in _SAY:
            cmd = channel.Say(session_id=client.session_id, kind=_SAY[kind], to_id=frame.get("to_id"),
                              text=frame.get("text", ""))
            done = await to_thread.run_sync(execute, channel.say, cmd, state["actor"], deps)
            await ws.send_json({"type": "sent", "ref": frame.get("ref"), "position": done.position})
        elif kind == "integrity":
            cmd = channel.Integrity(session_id=client.session_id, kind=frame.get("kind"))
            await to_thread.run_sync(execute, channel.integrity, cmd, state["actor"], deps)
        elif kind == "media":
            cmd = channel.Media(session_id=client.session_id, camera=frame.get("camera"))
            await to_thread.run_sync(execute, channel.media, cmd, state["actor"], deps)
        elif kind == "signal":
            await to_thread.run_sync(_relay, deps, hub, client, frame)
        else:
            raise InvalidInput("unknown frame type", fields={"type": "ping, token, chat, hand, announce, "
                                                                     "integrity, media or signal"})
    except Unauthenticated as e:
        state["reason"] = "token rejected"
        await ws.close(4401, e.detail[:120])
        return True
    except SkillhubError as e:
        await ws.send_json({"type": "error", "ref": frame.get("ref") if isinstance(frame, dict) else None,
                            "status": status_of(e), "detail": e.detail, "fields": e.fields})
    except ValidationError as e:
        await ws.send_json({"type": "error", "status": 422, "detail": str(e.errors()[0]["msg"]),
                            "field": ".".join(map(str, e.errors()[0]["loc"]))})
    return False


async def _renew(ws: WebSocket, deps: Deps, client: Client, state: dict[str, Any], frame: dict[str, Any]) -> None:
    from api.live.socket import token_expiry

    token = frame.get("token")
    if not isinstance(token, str):
        raise InvalidInput("token missing", fields={"token": "required"})
    actor = await to_thread.run_sync(authenticate, deps, token, state["actor"].address, state["actor"].user_agent)
    if actor.user_id != client.person_id:
        raise Unauthenticated("the token is someone else's")
    await to_thread.run_sync(live_role, deps, actor, client.session_id)  # still in the session?
    state["actor"], state["expires"] = actor, token_expiry(token)
    await ws.send_json({"type": "token_accepted", "expires_at": state["expires"]})


def _relay(deps: Deps, hub: LiveHub, client: Client, frame: dict[str, Any]) -> None:
    """Offers, answers and ICE candidates go only between people allowed to talk: an examiner
    and anyone in the session, never student to student."""
    signal = frame.get("signal")
    try:
        to_id = UUID(str(frame.get("to_id")))
    except ValueError:
        raise InvalidInput("to_id is not an id", fields={"to_id": "not a UUID"}) from None
    if not isinstance(signal, dict) or signal.get("kind") not in ("offer", "answer", "ice", "hangup"):
        raise InvalidInput("a signal is an object of kind offer, answer, ice or hangup", fields={"signal": "bad"})
    session = find(deps, LiveSession, client.session_id, read_only=True)
    other = role_in(deps, session, to_id) if session else None
    if other is None:
        raise InvalidInput("not in this session", fields={"to_id": "not a participant"})
    if not client.examiner and other != LiveRole.EXAMINER:
        raise Forbidden("students talk to examiners only")
    with deps.pool.connection() as conn:
        if not hub.send_signal(conn, client.session_id, client.person_id, to_id, signal):
            raise InvalidInput("the signal is too large", fields={"signal": "over 8 KB compressed (256 KB with Redis)"})
