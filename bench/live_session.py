"""Live session benchmark: 300 students connected to one live exam on one `skillhub serve`
process (the API with its projections and the live-sessions scheduler), measured from a client
process over real HTTP and WebSockets.

Prints:
- chat fan-out: an examiner's message to everyone, from send to arrival at each of the 300
  students' sockets (p50/p99 over every delivery);
- the start-of-exam spike: all students join the exam (start their attempt) at once, then answer
  two questions each as fast as they can: answers per second;
- answer-to-console: from a student's answer request to the graded entry on the examiner's
  socket (p99);
- server memory per connected client: the server's RSS before and after the sockets opened.

People, the class and the quiz are seeded through the domain (no argon2 per student); the
session is scheduled over HTTP and opened on time by the server's scheduler.
Run: `.venv/bin/python -m bench.live_session [--students 300] [--messages 20] [--profile FILE]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil
import websockets

from adapters.infrastructure import open_infrastructure
from adapters.security.tokens import TokenIssuer
from bench.assessment_seed import (
    access_token,
    choice_question,
    open_class,
    seed_people,
    write_quiz,
)
from bench.common import (
    SECRET_KEY,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
    percentile,
)
from commands.pipeline import Actor, deps_for
from domain.identity import Role
from tests.streaming import free_port
from workers.startup import prepare

ROOT = Path(__file__).resolve().parents[1]


def start_server(tmp: Path, url: str, profile: str | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SKILLHUB_DATA_DIR": str(tmp), "SKILLHUB_SECRET_KEY": SECRET_KEY,
           "SKILLHUB_LOG_LEVEL": "WARNING", "SKILLHUB_DB_POOL_SIZE": "30"}
    log = (tmp / "serve.log").open("ab")
    runner = ["-m", "bench.profiled_serve", profile] if profile else ["-m", "workers.cli"]
    process = subprocess.Popen([sys.executable, *runner, "serve", "--port", str(port), "--workers",
                                "projections,live-sessions"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    host = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{host}/readyz", timeout=2).status_code == 200:
                return process, host
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server not ready; see {tmp / 'serve.log'}")


def seed(url: str, tmp: Path, students: int) -> dict[str, Any]:
    infra = open_infrastructure(bench_settings(tmp), url)
    try:
        prepare(infra)
        issuer = TokenIssuer(SECRET_KEY, 3600)
        (teacher,) = seed_people(infra, 1, Role.TEACHER)
        people = seed_people(infra, students)
        class_id = open_class(infra, teacher[0], [p[0] for p in people])
        actor = Actor(teacher[0], frozenset({Role.TEACHER.value, Role.STUDENT.value}), teacher[1])
        quiz_id, questions = write_quiz(deps_for(infra), actor, class_id,
                                        [choice_question(f"Q{i}", "live") for i in range(2)], category="live_exams")
        return {"class_id": str(class_id), "quiz_id": str(quiz_id), "questions": questions,
                "teacher": (str(teacher[0]), access_token(issuer, teacher, [Role.TEACHER.value, Role.STUDENT.value])),
                "students": [(str(p[0]), access_token(issuer, p, [Role.STUDENT.value])) for p in people]}
    finally:
        infra.close()


async def arrivals(count: Any, expected: int, timeout: float = 120.0) -> None:
    """Until everything sent has arrived (or the timeout: the report then shows how much did)."""
    deadline = time.monotonic() + timeout
    while count() < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.2)


class Socket:
    """One person's socket; every frame is timestamped on arrival."""

    def __init__(self, person_id: str, token: str) -> None:
        self.person_id, self.token, self.frames, self.ws = person_id, token, [], None

    async def open(self, host: str, session_id: str) -> None:
        self.ws = await websockets.connect(f"ws://{host}/api/v1/live-sessions/{session_id}/socket", open_timeout=60,
                                           max_size=None, ping_interval=None)  # a busy client must not drop itself
        await self.ws.send(json.dumps({"type": "hello", "token": self.token, "last_position": 0}))
        asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.ws:
            self.frames.append((time.perf_counter(), json.loads(raw)))


async def run(host: str, data: dict[str, Any], messages: int, pid: int) -> None:
    base = f"http://{host}/api/v1"
    teacher_id, teacher_token = data["teacher"]
    teacher_headers = {"Authorization": f"Bearer {teacher_token}"}
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=httpx.Limits(max_connections=100, keepalive_expiry=1.0)) as http:
        starts = datetime.now(UTC) + timedelta(seconds=45)  # opens after the sockets are up
        r = await http.post("/live-sessions", headers=teacher_headers, json={
            "kind": "exam", "class_id": data["class_id"], "quiz_id": data["quiz_id"], "title": "Bench exam",
            "starts_at": starts.isoformat(), "duration_seconds": 3600, "rules": {"late_join_seconds": 3600}})
        assert r.status_code == 201, r.text
        session_id = r.json()["session_id"]
        server = psutil.Process(pid)
        rss_before = server.memory_info().rss
        examiner = Socket(teacher_id, teacher_token)
        await examiner.open(host, session_id)
        students = [Socket(pid_, token) for pid_, token in data["students"]]
        t0 = time.perf_counter()
        for i in range(0, len(students), 50):
            await asyncio.gather(*(s.open(host, session_id) for s in students[i:i + 50]))
        while sum(1 for s in students if any(f["type"] == "welcome" for _, f in s.frames)) < len(students):
            await asyncio.sleep(0.1)
        connect_seconds = time.perf_counter() - t0
        await asyncio.sleep(2)
        rss_after = server.memory_info().rss
        print(f"connected {len(students)} students in {connect_seconds:.1f} s; server RSS {rss_before / 2**20:.0f} MiB"
              f" -> {rss_after / 2**20:.0f} MiB: {(rss_after - rss_before) / len(students) / 1024:.0f} KiB per client")

        while (await http.get(f"/live-sessions/{session_id}", headers=teacher_headers)).json()["status"] != "open":
            await asyncio.sleep(0.2)

        # Chat fan-out: the examiner's message to everyone, send to arrival at each student.
        sent: dict[str, float] = {}
        for i in range(messages):
            text = f"bench message {i}"
            sent[text] = time.perf_counter()
            await examiner.ws.send(json.dumps({"type": "announce", "text": text}))
            await asyncio.sleep(0.2)
        await arrivals(lambda: sum(1 for s in students for _, f in s.frames if f.get("kind") == "announcement"),
                       len(students) * messages)
        fanout = sorted(at - sent[f["body"]["text"]] for s in students for at, f in s.frames
                        if f.get("kind") == "announcement" and f["body"]["text"] in sent)
        print(f"chat fan-out to {len(students)} students, {messages} messages: {len(fanout)} deliveries"
              f" (expected {len(students) * messages}); p50 {percentile(fanout, 50) * 1000:.0f} ms,"
              f" p99 {percentile(fanout, 99) * 1000:.0f} ms")

        # The start spike: everyone joins at once, then answers two questions.
        async def join(s: Socket) -> None:
            r = await http.post(f"/live-sessions/{session_id}/exam", headers={"Authorization": f"Bearer {s.token}"})
            assert r.status_code == 200, r.text

        t0 = time.perf_counter()
        await asyncio.gather(*(join(s) for s in students))
        join_seconds = time.perf_counter() - t0
        answered: dict[tuple[str, str], float] = {}

        async def answer(s: Socket, question_id: str) -> None:
            answered[(s.person_id, question_id)] = time.perf_counter()
            r = await http.put(f"/live-sessions/{session_id}/answers/{question_id}",
                               headers={"Authorization": f"Bearer {s.token}"}, json={"answer": {"option_id": "a"}})
            assert r.status_code == 200, r.text

        t0 = time.perf_counter()
        async def answer_all(s: Socket) -> None:  # one student answers one question after the other
            for question_id in data["questions"]:
                await answer(s, question_id)

        await asyncio.gather(*(answer_all(s) for s in students))
        answer_seconds = time.perf_counter() - t0
        total = len(answered)
        await arrivals(lambda: sum(1 for _, f in examiner.frames if f.get("kind") == "graded"), total)
        console = sorted(at - answered[(f["body"]["person_id"], f["body"]["question_id"])]
                         for at, f in examiner.frames if f.get("kind") == "graded")
        print(f"start spike: {len(students)} joins (attempt starts) in {join_seconds:.1f} s"
              f" ({len(students) / join_seconds:.0f}/s); {total} answers in {answer_seconds:.1f} s:"
              f" {total / answer_seconds:.0f} answers/s")
        print(f"answer-to-console: {len(console)} graded entries on the examiner's socket (expected {total});"
              f" p50 {percentile(console, 50) * 1000:.0f} ms, p99 {percentile(console, 99) * 1000:.0f} ms")
        for s in [examiner, *students]:
            await s.ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--profile", metavar="FILE", help="run the server under cProfile in every thread"
                        " (bench/profiled_serve.py): FILE (pstats) and FILE.txt, the top functions")
    args = parser.parse_args()
    tmp, server, source = bench_server("skillhub-live-bench-")
    print(f"live session benchmark: {args.students} students; {describe_machine()}; {source}")
    with fresh_database(server) as url:
        data = seed(url, tmp, args.students)
        process, host = start_server(tmp, url, args.profile)
        try:
            asyncio.run(run(host, data, args.messages, process.pid))
        finally:
            process.terminate()
            process.wait(30)


if __name__ == "__main__":
    main()
