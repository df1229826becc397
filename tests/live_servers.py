"""`skillhub serve` processes on one database, for the live channel's multi-process test and
benchmark, and a class with a live exam made through the HTTP API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.assessment_samples import SAMPLES
from tests.streaming import free_port

ROOT = Path(__file__).resolve().parents[1]
SECRET = "live-test-secret-0123456789"
HTTP = httpx.Client(timeout=60)  # the machine may be busy: a request may wait


def start_server(data_dir: Path, database_url: str, workers: str, name: str, **env: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = (data_dir / f"{name}.log").open("ab")
    environment = {**os.environ, "DATABASE_URL": database_url, "SKILLHUB_DATA_DIR": str(data_dir),
                   "SKILLHUB_SECRET_KEY": SECRET, "SKILLHUB_LOG_LEVEL": "WARNING", **env}
    process = subprocess.Popen([sys.executable, "-m", "workers.cli", "serve", "--port", str(port), "--workers", workers],
                               cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    return process, f"127.0.0.1:{port}"


def wait_ready(host: str, data_dir: Path, timeout: float = 120) -> None:
    deadline, last = time.monotonic() + timeout, "no answer"
    while time.monotonic() < deadline:
        try:
            r = httpx.get(f"http://{host}/readyz", timeout=5)
            if r.status_code == 200:
                return
            last = r.text
        except httpx.TransportError as e:
            last = repr(e)
        time.sleep(0.3)
    logs = {log.name: log.read_text()[-3000:] for log in data_dir.glob("*.log")}
    raise AssertionError(f"{host} not ready: {last}; logs: {logs}")


def ok(r: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert r.status_code == status, r.text
    return r.json()


def person(host: str, email: str, password: str = "correct horse battery") -> dict[str, Any]:
    user = ok(HTTP.post(f"http://{host}/api/v1/users", json={"email": email, "password": password,
                                                              "display_name": email.split("@")[0]}), 201)
    return {"user_id": user["user_id"], "email": email, "password": password}


def log_in(host: str, someone: dict[str, Any]) -> dict[str, Any]:
    tokens = ok(HTTP.post(f"http://{host}/api/v1/sessions",
                           json={"email": someone["email"], "password": someone["password"]}), 201)
    return {**someone, "token": tokens["access_token"], "headers": {"Authorization": f"Bearer {tokens['access_token']}"}}


def live_exam(host: str, teacher: dict[str, Any], students: list[dict[str, Any]], starts_in: float,
              duration: int = 1800) -> tuple[str, dict[str, str]]:
    """A class with the students, a published live_exams quiz and a session on it; the session id
    and the quiz's question ids by type."""
    base, h = f"http://{host}/api/v1", teacher["headers"]
    room = ok(HTTP.post(f"{base}/classes", headers=h, json={"name": "Live class"}), 201)
    with httpx.Client(timeout=30) as client:
        for s in students:
            ok(client.post(f"{base}/classes/join", headers=s["headers"], json={"code": room["join_code"]}))
    bank = ok(HTTP.post(f"{base}/question-banks", headers=h, json={"title": "Live bank"}), 201)["bank_id"]
    questions = {kind: ok(HTTP.post(f"{base}/question-banks/{bank}/questions", headers=h,
                                     json={"question": SAMPLES[kind]["question"]}), 201)["question_id"]
                 for kind in ("true_false", "single_choice")}
    quiz = ok(HTTP.post(f"{base}/quizzes", headers=h, json={
        "title": "Live quiz", "class_id": room["class_id"], "category": "live_exams",
        "items": [{"question_id": q, "points": 1} for q in questions.values()]}), 201)["quiz_id"]
    ok(HTTP.post(f"{base}/quizzes/{quiz}/publication", headers=h))
    starts = datetime.now(UTC) + timedelta(seconds=starts_in)
    session = ok(HTTP.post(f"{base}/live-sessions", headers=h, json={
        "kind": "exam", "class_id": room["class_id"], "quiz_id": quiz, "title": "Live exam",
        "starts_at": starts.isoformat(), "duration_seconds": duration, "rules": {"late_join_seconds": duration}}), 201)
    return session["session_id"], questions
