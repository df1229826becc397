"""The session feed: what each live event means on the channel, and who may see it. The read
model stores these entries (a reconnecting client is sent the ones it missed) and the API's
hub sends them live (api/live/hub.py); both use this one mapping, so they always agree.

Audiences: `all` (everyone in the session), `examiners` (plus the people named in `person_ids`:
the student an entry is about, a private message's two ends)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.live.messages import LiveMessage
from domain.live.seats import LiveSeat
from domain.live.sessions import LiveSession

ALL, EXAMINERS, PEOPLE = "all", "examiners", "people"


@dataclass(frozen=True)
class Entry:
    session_id: UUID
    kind: str
    audience: str
    body: dict[str, Any]
    person_ids: tuple[UUID, ...] = field(default=())

    def visible_to(self, person_id: UUID, examiner: bool) -> bool:
        return (self.audience == ALL or (self.audience == EXAMINERS and examiner)
                or person_id in self.person_ids)


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


_SESSION_BODIES = {
    LiveSession.Rescheduled: ("rescheduled", lambda e: {"starts_at": _iso(e.starts_at),
                                                        "duration_seconds": e.duration_seconds, "reason": e.reason}),
    LiveSession.Cancelled: ("cancelled", lambda e: {"reason": e.reason}),
    LiveSession.Opened: ("opened", lambda e: {"at": _iso(e.at)}),
    LiveSession.Paused: ("paused", lambda e: {"at": _iso(e.at), "reason": e.reason}),
    LiveSession.Resumed: ("resumed", lambda e: {"at": _iso(e.at), "ends_at": _iso(e.ends_at)}),
    LiveSession.Ended: ("ended", lambda e: {"at": _iso(e.at), "reason": e.reason, "early": e.early}),
    LiveSession.QuestionPushed: ("question", lambda e: {"question_id": e.question_id, "question": e.question}),
    LiveSession.QuestionRevealed: ("revealed", lambda e: {"question_id": e.question_id,
                                                          "distribution": e.distribution, "answer_key": e.answer_key}),
}

SEAT_KINDS = {
    LiveSeat.Connected: "connected", LiveSeat.Dropped: "dropped", LiveSeat.ExamStarted: "exam_started",
    LiveSeat.AnswerGraded: "graded", LiveSeat.StudyAnswered: "study_answer", LiveSeat.IntegritySignal: "integrity",
    LiveSeat.CameraWaived: "camera_waived",
}

EVENT_CLASSES = (*_SESSION_BODIES, LiveSession.ExtraTimeGiven, *SEAT_KINDS, LiveMessage.Posted)


def entry_of(event: Any, examiners: frozenset[UUID] = frozenset()) -> Entry | None:
    """`examiners`: who examines the session, for presence (an examiner's is shown to all)."""
    kind = type(event)
    if kind in _SESSION_BODIES:
        name, body = _SESSION_BODIES[kind]
        return Entry(event.originator_id, name, ALL, body(event))
    if kind is LiveSession.ExtraTimeGiven:
        return Entry(event.originator_id, "extra_time", EXAMINERS,
                     {"student_id": str(event.student_id), "seconds": event.seconds, "reason": event.reason},
                     (event.student_id,))
    if kind in SEAT_KINDS:
        return _seat_entry(event, SEAT_KINDS[kind], examiners)
    if kind is LiveMessage.Posted:
        body = {"message_id": str(event.originator_id), "sender_id": str(event.sender_id),
                "to_id": str(event.to_id) if event.to_id else None, "text": event.text}
        if event.to_id is not None:
            return Entry(event.session_id, event.kind, PEOPLE, body, (event.sender_id, event.to_id))
        audience = EXAMINERS if event.kind == "hand" else ALL
        return Entry(event.session_id, event.kind, audience, body, (event.sender_id,))
    return None


def _seat_entry(event: Any, name: str, examiners: frozenset[UUID]) -> Entry:
    body: dict[str, Any] = {"person_id": str(event.person_id)}
    if name in ("connected", "dropped"):
        body["at"] = _iso(event.at)
        body["reason"] = getattr(event, "reason", None)
        audience = ALL if event.person_id in examiners else EXAMINERS
        return Entry(event.session_id, name, audience, body, (event.person_id,))
    if name == "graded":
        body.update(question_id=event.question_id, grade=event.grade, at=_iso(event.at))
    elif name == "study_answer":
        body.update(question_id=event.question_id)  # the choice stays hidden until the reveal
    elif name == "integrity":
        body.update(kind=event.kind, at=_iso(event.at))
    elif name == "camera_waived":
        body.update(reason=event.reason, by=str(event.actor_id), at=_iso(event.at))
    elif name == "exam_started":
        body.update(attempt_id=str(event.attempt_id), questions=event.questions)
    return Entry(event.session_id, name, EXAMINERS, body, (event.person_id,))
