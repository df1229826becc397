"""What the people of bench/soak.py do: one request per arrival (a registration is two), chosen by
weight. A student does one thing at a time and remembers what they did (courses enrolled in,
lessons completed, the attempt open), so every request expects one status; their reads pass the
position of their own last write (`min_position`), as a client keeps read-your-writes."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import httpx

from bench.assessment import answer_for
from bench.soak_seed import PASSWORD, Student, World

# Share of arrivals per kind (percent): mostly reads, a steady stream of writes.
WEIGHTS = {
    "catalog": 9, "course": 7, "enrol": 3, "lesson": 16, "complete": 7, "quiz": 18, "forum_read": 12,
    "forum_post": 3, "progress": 14, "teacher": 9, "login": 1.5, "register": 0.5,
}
KINDS = [*WEIGHTS, "refresh"]  # a refresh is no arrival of its own: a client does it when its token is due
REFRESH_MARGIN = 60.0  # seconds before the access token expires


@dataclass
class Tally:
    """Requests, latencies (seconds) per kind and errors, for one window of the run."""

    requests: int = 0
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)  # the first few error messages

    def error(self, kind: str, message: str) -> None:
        self.errors[kind] += 1
        if len(self.samples) < 5:
            self.samples.append(f"{kind}: {message}"[:300])


class Mix:
    def __init__(self, client: httpx.AsyncClient, world: World, seed: int) -> None:
        self.client, self.world, self.rng = client, world, random.Random(seed)
        self.tally = Tally()  # replaced by the reporter at each window
        self.course_ids = list(world.courses)
        self.actions: dict[str, Callable[[Student], Awaitable[None]]] = {
            "catalog": self.catalog, "course": self.course, "enrol": self.enrol, "lesson": self.lesson,
            "complete": self.complete, "quiz": self.quiz, "forum_read": self.forum_read,
            "forum_post": self.forum_post, "progress": self.progress, "teacher": self.teacher, "login": self.login,
        }

    async def call(self, kind: str, method: str, path: str, token: str | None, expect: int,
                   student: Student | None = None, **kwargs: Any) -> dict[str, Any] | None:
        """The response body, or None after counting an error. A student's reads wait for their writes."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if student is not None and method == "GET" and student.position:
            kwargs["params"] = {**kwargs.get("params", {}), "min_position": student.position}
        self.tally.requests += 1
        sent = time.perf_counter()
        try:
            r = await self.client.request(method, f"/api/v1{path}", headers=headers, **kwargs)
        except httpx.HTTPError as e:
            self.tally.error(kind, f"{method} {path}: {type(e).__name__}: {e}")
            return None
        self.tally.latency[kind].append(time.perf_counter() - sent)
        if r.status_code != expect:
            self.tally.error(kind, f"{method} {path}: {r.status_code} {r.text[:200]}")
            return None
        body = r.json()
        if student is not None and isinstance(body, dict) and "position" in body and method != "GET":
            student.position = max(student.position, body["position"])
        return body

    def _free_student(self, wanted: Callable[[Student], bool] = lambda s: True) -> Student | None:
        students = self.world.students
        for _ in range(30):
            s = students[self.rng.randrange(len(students))]
            if not s.busy and wanted(s):
                return s
        return None

    async def act(self, kind: str) -> None:
        if kind == "register":
            await self.register()
            return
        in_class = kind in ("quiz", "forum_read", "forum_post")
        student = self._free_student(lambda s: s.class_index is not None) if in_class else self._free_student()
        if student is None:
            self.tally.error(kind, "no free student (the server is far behind the arrivals)")
            return
        student.busy = True
        try:
            if student.refresh_token and time.monotonic() > student.expires_at - REFRESH_MARGIN:
                await self.refresh(student)
            await self.actions[kind](student)
        finally:
            student.busy = False

    async def catalog(self, s: Student) -> None:
        params = {"q": self.rng.choice(["soak", "lesson", "practise"])} if self.rng.random() < 0.5 else {}
        await self.call("catalog", "GET", "/courses", s.token, 200, s, params=params)

    async def course(self, s: Student) -> None:
        await self.call("course", "GET", f"/courses/{self.rng.choice(self.course_ids)}", s.token, 200, s)

    async def enrol(self, s: Student) -> None:
        open_courses = [c for c in self.course_ids if c not in s.enrolled]
        if not open_courses:
            await self.course(s)
            return
        course_id = self.rng.choice(open_courses)
        if await self.call("enrol", "POST", f"/courses/{course_id}/enrolment", s.token, 201, s) is not None:
            s.enrolled.add(course_id)

    async def lesson(self, s: Student) -> None:
        course_id = self.rng.choice(sorted(s.enrolled))
        lesson_id = self.rng.choice(self.world.courses[course_id])
        await self.call("lesson", "GET", f"/courses/{course_id}/lessons/{lesson_id}", s.token, 200, s)

    async def complete(self, s: Student) -> None:
        left = [(c, lesson) for c in sorted(s.enrolled) for lesson in self.world.courses[c] if lesson not in s.completed]
        if not left:
            await self.lesson(s)
            return
        course_id, lesson_id = left[0]  # in syllabus order
        path = f"/courses/{course_id}/lessons/{lesson_id}/completion"
        if await self.call("complete", "POST", path, s.token, 200, s) is not None:
            s.completed.add(lesson_id)

    async def quiz(self, s: Student) -> None:
        """Start an attempt, answer its next question, or submit it once every question is answered."""
        if s.attempt is None:
            quiz_id = self.world.classes[s.class_index].quiz_id
            body = await self.call("quiz", "POST", f"/quizzes/{quiz_id}/attempts", s.token, 201, s)
            if body is not None:
                s.attempt = (body["attempt_id"], list(body["questions"]))
            return
        attempt_id, left = s.attempt
        if not left:
            s.attempt = None
            await self.call("quiz", "POST", f"/attempts/{attempt_id}/submission", s.token, 200, s)
            return
        path = f"/attempts/{attempt_id}/answers/{left[0]['question_id']}"
        if await self.call("quiz", "PUT", path, s.token, 200, s, json={"answer": answer_for(left[0], self.rng)}):
            left.pop(0)

    async def forum_read(self, s: Student) -> None:
        school_class = self.world.classes[s.class_index]
        if self.rng.random() < 0.4:
            await self.call("forum_read", "GET", f"/forums/{school_class.forum_id}/threads", s.token, 200, s)
            return
        thread_id = self.rng.choice(school_class.thread_ids[-10:])  # people read what is new
        await self.call("forum_read", "GET", f"/forum/threads/{thread_id}", s.token, 200, s)

    async def forum_post(self, s: Student) -> None:
        school_class = self.world.classes[s.class_index]
        if self.rng.random() < 0.25:
            body = {"title": f"Stuck on step {self.rng.randrange(100)}", "body": "Where do I begin? Any hint helps.",
                    "kind": "question"}
            made = await self.call("forum_post", "POST", f"/forums/{school_class.forum_id}/threads", s.token, 201, s,
                                   json=body)
            if made is not None:
                school_class.thread_ids.append(made["thread_id"])
            return
        thread_id = self.rng.choice(school_class.thread_ids[-10:])
        await self.call("forum_post", "POST", f"/forum/threads/{thread_id}/posts", s.token, 201, s,
                        json={"body": "Try the worked example of the second lesson first."})

    async def progress(self, s: Student) -> None:
        path = self.rng.choice([f"/progress/students/{s.user_id}", "/me/courses", "/dashboards/me/activity"])
        await self.call("progress", "GET", path, s.token, 200, s)

    async def teacher(self, s: Student) -> None:
        """A teacher (not the student drawn) reads their class's progress or a report."""
        c = self.rng.choice(self.world.classes)
        path = self.rng.choice([f"/classes/{c.class_id}/progress", f"/dashboards/classes/{c.class_id}/heat-map",
                                f"/quizzes/{c.quiz_id}/results", f"/quizzes/{c.quiz_id}/statistics",
                                f"/analytics/scopes/{c.class_id}/engagement"])
        await self.call("teacher", "GET", path, c.teacher_token, 200)

    async def login(self, s: Student) -> None:
        body = await self.call("login", "POST", "/sessions", None, 201, s, json={"email": s.email, "password": PASSWORD})
        if body is not None:
            self._tokens(s, body)

    async def refresh(self, s: Student) -> None:
        body = await self.call("refresh", "POST", "/sessions/refresh", None, 200, s,
                               json={"refresh_token": s.refresh_token})
        if body is not None:
            self._tokens(s, body)

    @staticmethod
    def _tokens(s: Student, body: dict[str, Any]) -> None:
        s.token, s.refresh_token = body["access_token"], body["refresh_token"]
        s.expires_at = time.monotonic() + body["expires_in"]

    async def register(self) -> None:
        """A newcomer signs up and logs in; from then on they take courses too (they are in no class)."""
        email = f"soak-new-{uuid4().hex[:12]}@bench.example.com"
        account = {"email": email, "password": PASSWORD, "display_name": "Newcomer"}
        made = await self.call("register", "POST", "/users", None, 201, json=account)
        if made is None:
            return
        newcomer = Student(UUID(made["user_id"]), email, "", None, made["position"])
        await self.login(newcomer)
        course_id = self.rng.choice(self.course_ids)
        path = f"/courses/{course_id}/enrolment"
        if newcomer.token and await self.call("enrol", "POST", path, newcomer.token, 201, newcomer) is not None:
            newcomer.enrolled.add(course_id)
            self.world.students.append(newcomer)  # only now may the mix pick them
