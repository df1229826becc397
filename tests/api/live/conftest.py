"""Live session test helpers on top of the assessment ones (a class, a quiz, the API's clock):
scheduling, opening through the scheduler's own command, and the session's WebSocket."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commands.live.running import SessionRef, close_on_time, open_on_time
from commands.pipeline import SYSTEM, execute
from tests.api.assessment.conftest import API, Classroom, Kit, QuizSetup, cast, kit  # noqa: F401 - fixtures
from tests.api.conftest import Person


class LiveKit:
    def __init__(self, kit: Kit) -> None:
        self.kit, self.client, self.deps = kit, kit.client, kit.deps
        self.sockets: list[Any] = []

    def room_and_quiz(self, students: int = 2, kinds: tuple[str, ...] = ("true_false", "single_choice"),
                      **settings: Any) -> QuizSetup:
        room = self.kit.classroom(students)
        return self.kit.quiz(room, list(kinds), category="live_exams", attempts_allowed=1, **settings)

    def schedule(self, quiz: QuizSetup, *, kind: str = "exam", starts_in: float = 60, duration: int = 1800,
                 as_person: Person | None = None, **body: Any) -> Any:
        starts = datetime.now(UTC) + timedelta(seconds=starts_in)
        payload = {"kind": kind, "class_id": quiz.room.class_id, "quiz_id": quiz.quiz_id, "title": "Algebra live",
                   "starts_at": starts.isoformat(), "duration_seconds": duration, **body}
        return self.client.post(f"{API}/live-sessions", headers=(as_person or quiz.room.teacher).headers,
                                json=payload)

    def open(self, quiz: QuizSetup, **body: Any) -> str:
        """A session scheduled a second ahead and opened by the scheduler's command once it starts (the
        real clock: the gradebook counts what happened up to now)."""
        starts = time.time() + 4  # time for the request on a busy machine
        session_id = self.kit.ok(self.schedule(quiz, starts_in=4, **body), 201)["session_id"]
        time.sleep(max(0.0, starts - time.time() + 0.05))
        assert execute(open_on_time, SessionRef(session_id=session_id), SYSTEM, self.deps).data["opened"]
        return session_id

    def close(self, session_id: str) -> dict[str, Any]:
        return execute(close_on_time, SessionRef(session_id=session_id), SYSTEM, self.deps).data

    def post(self, person: Person, session_id: str, path: str, status: int = 200, **body: Any) -> dict[str, Any]:
        return self.kit.ok(self.client.post(f"{API}/live-sessions/{session_id}{path}", headers=person.headers,
                                            json=body), status)

    def socket(self, person: Person, session_id: str, last_position: int = 0) -> Any:
        return self.raw_socket(session_id, {"type": "hello", "token": person.tokens["access_token"],
                                            "last_position": last_position})

    def raw_socket(self, session_id: str, hello: dict[str, Any]) -> Any:
        ws = self.client.websocket_connect(f"{API}/live-sessions/{session_id}/socket")
        ws.__enter__()
        self.sockets.append(ws)
        ws.send_json(hello)
        return ws

    def leave(self, ws: Any) -> None:
        """Close from the client's side and wait until the server has finished with it."""
        self.sockets.remove(ws)
        try:
            ws.__exit__(None, None, None)
        except Exception:  # noqa: BLE001 - the server closed it first (a refused hello, an expiry)
            pass

    def leave_all(self) -> None:
        for ws in list(self.sockets):
            self.leave(ws)


def until(ws: Any, predicate: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Frames received up to and including the first one matching."""
    seen = []
    for _ in range(limit):
        frame = ws.receive_json()
        seen.append(frame)
        if predicate(frame):
            return seen
    raise AssertionError(f"no matching frame in {seen}")


@pytest.fixture
def live(kit) -> Any:  # noqa: F811 - the fixture imported above
    helper = LiveKit(kit)
    yield helper
    helper.leave_all()
