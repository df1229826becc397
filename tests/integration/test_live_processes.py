"""The live channel across two `skillhub serve` processes on one database: the session opens on
time by the scheduler of one of them; chat, announcements and WebRTC signals reach a client of
the session whichever process each side is connected to: fan-out through PostgreSQL NOTIFY, and
through Redis when SKILLHUB_LIVE_REDIS_URL is set (then signals travel only through Redis)."""

from __future__ import annotations

import json
import threading
import time
import uuid

import httpx
import pytest
import redis
from websockets.sync.client import connect

from adapters.infrastructure import open_infrastructure
from adapters.live_fanout import RedisFanout
from commands.pipeline import SYSTEM, deps_for, execute
from commands.identity.roles import ChangeRole, grant_role
from domain.identity import Role
from tests.conftest import settings_for
from tests.live_servers import SECRET, live_exam, log_in, ok, person, start_server, wait_ready


def socket(host, session_id, who, last=0):
    ws = connect(f"ws://{host}/api/v1/live-sessions/{session_id}/socket", open_timeout=10)
    ws.send(json.dumps({"type": "hello", "token": who["token"], "last_position": last}))
    welcome = json.loads(ws.recv(timeout=10))
    assert welcome["type"] == "welcome", welcome
    return ws


def until(ws, predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if predicate(frame):
            return frame


REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.mark.timeout(400)  # two server starts on a shared machine
def test_two_api_processes_share_one_session(make_database, tmp_path):
    share_one_session(make_database(), tmp_path)


@pytest.mark.timeout(400)
@pytest.mark.skipif(not redis_reachable(), reason=f"no Redis reachable at {REDIS_URL}")
def test_two_api_processes_share_one_session_through_redis(make_database, tmp_path):
    database = make_database()
    wakeups, published, done = RedisFanout(REDIS_URL, database).subscribe(), [], threading.Event()

    def watch() -> None:  # what the processes publish
        while not done.is_set():
            if (message := wakeups.get_message(timeout=0.2)) is not None:
                published.append(message)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        share_one_session(database, tmp_path, SKILLHUB_LIVE_REDIS_URL=REDIS_URL)
    finally:
        done.set()
        watcher.join(5)
        wakeups.close()
    channels = {m["channel"].decode().rsplit(":", 1)[-1] for m in published}
    assert channels == {"events", "signals"}, published


def share_one_session(database: str, tmp_path, **env: str) -> None:
    first, a = start_server(tmp_path, database, "projections,live-sessions", "first", **env)
    second, b = start_server(tmp_path, database, "projections", "second", **env)
    try:
        wait_ready(a, tmp_path)
        wait_ready(b, tmp_path)
        tag = uuid.uuid4().hex[:8]
        teacher = person(a, f"teacher-{tag}@school.example.com")
        infra = open_infrastructure(settings_for(tmp_path, secret_key=SECRET), database)
        try:
            execute(grant_role, ChangeRole(user_id=teacher["user_id"], role=Role.TEACHER), SYSTEM, deps_for(infra))
        finally:
            infra.close()
        teacher = log_in(a, teacher)
        student = log_in(b, person(b, f"student-{tag}@school.example.com"))
        session_id, _ = live_exam(a, teacher, [student], starts_in=4)
        deadline = time.monotonic() + 30  # opened on time by the first process's scheduler
        while ok(httpx.get(f"http://{b}/api/v1/live-sessions/{session_id}", headers=student["headers"]))["status"] != "open":
            assert time.monotonic() < deadline, "the first process's scheduler did not open it"
            time.sleep(0.3)

        examiner = socket(a, session_id, teacher)
        learner = socket(b, session_id, student)
        until(examiner, lambda f: f.get("kind") == "connected" and f["body"]["person_id"] == student["user_id"])
        examiner.send(json.dumps({"type": "announce", "text": "from process A"}))
        heard = until(learner, lambda f: f.get("kind") == "announcement")
        assert heard["body"]["text"] == "from process A"
        learner.send(json.dumps({"type": "chat", "text": "from process B", "to_id": teacher["user_id"]}))
        assert until(examiner, lambda f: f.get("kind") == "chat")["body"]["text"] == "from process B"
        examiner.send(json.dumps({"type": "signal", "to_id": student["user_id"], "signal": {"kind": "offer", "sdp": "v=0"}}))
        assert until(learner, lambda f: f["type"] == "signal") == {
            "type": "signal", "from_id": teacher["user_id"], "signal": {"kind": "offer", "sdp": "v=0"}}
        # The student moves to the other process and gets exactly what it missed.
        learner.close()
        examiner.send(json.dumps({"type": "announce", "text": "missed"}))
        until(examiner, lambda f: f.get("kind") == "announcement" and f["body"]["text"] == "missed")
        moved = socket(a, session_id, student, last=heard["position"])
        texts = []
        while "missed" not in texts:
            frame = until(moved, lambda f: f.get("kind") in ("announcement", "chat"))
            texts.append(frame["body"]["text"])
        assert texts == ["from process B", "missed"]
        moved.close()
        examiner.close()
    finally:
        for process in (first, second):
            process.terminate()
        for process in (first, second):
            process.wait(30)
