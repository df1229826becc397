"""What the session's channel records: connections and drops, chat, raised hands, announcements
and integrity signals. Each is an event, so a reconnecting client misses nothing and the report
shows everything. Called by the WebSocket (api/live/socket.py) and by the REST routes.

Chat rules: students write to everyone only while the chat is open, and privately only to an
examiner; examiners write to everyone or privately to any student of the session."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, Field

from commands.live.access import LiveRole, examiners_of, live_role, role_in
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, retrying_races
from domain.errors import Forbidden, InvalidInput, RuleBroken
from domain.live.messages import LiveMessage, MessageKind
from domain.live.seats import INTEGRITY_KINDS, LiveSeat, seat_id
from domain.live.sessions import LiveSession

Text = Annotated[str, Field(max_length=2000)]


class Say(BaseModel):
    session_id: UUID
    kind: Literal["chat", "hand", "announcement"] = "chat"
    to_id: UUID | None = Field(default=None, description="a private message's recipient; none: everyone")
    text: Text = ""


class Presence(BaseModel):
    session_id: UUID
    connection_id: UUID
    reason: str = Field(default="closed", max_length=100)


class Media(BaseModel):
    session_id: UUID
    camera: bool = Field(description="whether the page sends a live camera track")


class Integrity(BaseModel):
    session_id: UUID
    kind: Literal[INTEGRITY_KINDS]  # type: ignore[valid-type]


def seat_of(deps: Deps, session: LiveSession, person_id: UUID) -> LiveSeat:
    return find(deps, LiveSeat, seat_id(session.id, person_id)) or LiveSeat.take(session.id, person_id)


def _check_recipient(deps: Deps, session: LiveSession, role: LiveRole, to_id: UUID) -> None:
    other = role_in(deps, session, to_id)
    if other is None:
        raise InvalidInput("not in this session", fields={"to_id": "not a participant"})
    if role == LiveRole.STUDENT and other != LiveRole.EXAMINER:
        raise Forbidden("students write privately to examiners only")


def say(cmd: Say, actor: Actor, deps: Deps) -> Done:
    session, role = live_role(deps, actor, cmd.session_id)
    if session.status in ("ended", "cancelled"):
        raise RuleBroken(f"the session is {session.status}")
    kind = MessageKind(cmd.kind)
    if kind == MessageKind.ANNOUNCEMENT and role != LiveRole.EXAMINER:
        raise Forbidden("only examiners make announcements")
    if kind != MessageKind.HAND and not cmd.text.strip():
        raise InvalidInput("say something", fields={"text": "empty"})
    to_id = cmd.to_id if kind == MessageKind.CHAT else None
    if to_id is not None:
        _check_recipient(deps, session, role, to_id)
    elif kind == MessageKind.CHAT and role == LiveRole.STUDENT and session.rules["chat"] != "open":
        raise Forbidden("the chat is for examiners only: write privately to an examiner")
    message = LiveMessage.post(uuid4(), session.id, actor.user_id, kind, to_id, cmd.text)
    return Done(deps.store.record(message), {"message_id": message.id})


@retrying_races
def connected(cmd: Presence, actor: Actor, deps: Deps) -> Done:
    session, role = live_role(deps, actor, cmd.session_id)
    seat = seat_of(deps, session, actor.user_id)
    seat.connect(cmd.connection_id, deps.clock())
    return Done(deps.store.record(seat), {"role": role.value, "examiners": sorted(map(str, examiners_of(session)))})


@retrying_races
def dropped(cmd: Presence, actor: Actor, deps: Deps) -> Done:
    """Recorded even when the person has lost access meanwhile: the drop did happen."""
    session = find(deps, LiveSession, cmd.session_id, read_only=True)
    seat = find(deps, LiveSeat, seat_id(cmd.session_id, actor.user_id)) if session else None
    if seat is None:
        return Done(0)
    seat.drop(cmd.connection_id, deps.clock(), cmd.reason)
    return Done(deps.store.record(seat))


@retrying_races
def integrity(cmd: Integrity, actor: Actor, deps: Deps) -> Done:
    session, role = live_role(deps, actor, cmd.session_id)
    if role != LiveRole.STUDENT or not session.live:
        return Done(0)  # only students' pages during the session say anything worth recording
    seat = seat_of(deps, session, actor.user_id)
    seat.signal(cmd.kind, deps.clock())
    return Done(deps.store.record(seat))


@retrying_races
def media(cmd: Media, actor: Actor, deps: Deps) -> Done:
    """A student page's camera state: with the rule camera_required, each change is an integrity
    signal the examiner sees (with its time), and the exam does not start without the camera."""
    session, role = live_role(deps, actor, cmd.session_id)
    if role != LiveRole.STUDENT or not session.rules.get("camera_required") or session.status in ("ended", "cancelled"):
        return Done(0)
    seat = seat_of(deps, session, actor.user_id)
    seat.report_camera(cmd.camera, deps.clock())
    return Done(deps.store.record(seat), {"camera": cmd.camera})
