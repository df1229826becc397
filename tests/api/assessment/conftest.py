"""Assessment test helpers: a class with a teacher and students (through the classroom API),
a bank of questions, quizzes, attempts, and the clock the API uses, moved at will."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import Response

from commands.identity.roles import ChangeRole, grant_role
from commands.pipeline import SYSTEM, execute
from domain.identity import Role
from tests.api.conftest import PASSWORD, Person, unique_email
from tests.assessment_samples import SAMPLES

API = "/api/v1"


@dataclass
class Classroom:
    teacher: Person
    students: list[Person]
    class_id: str
    position: int = 0


@dataclass
class QuizSetup:
    room: Classroom
    quiz_id: str
    questions: dict[str, str] = field(default_factory=dict)  # type -> question id
    position: int = 0


@dataclass
class Cast:
    """People made once for all assessment tests (registering costs two argon2 hashes each).
    Tests share them but never change them: each test opens its own classes, banks and quizzes."""

    teacher: Person
    other_teacher: Person
    students: list[Person]
    admin: Person
    auditor: Person
    creator: Person
    other_creator: Person


class Kit:
    def __init__(self, client: Any, make_person: Any, app: Any, monkeypatch: pytest.MonkeyPatch, cast: Cast) -> None:
        self.client, self.make_person, self.deps, self.monkeypatch = client, make_person, app.state.deps, monkeypatch
        self.cast = cast

    def ok(self, r: Response, status: int = 200) -> dict[str, Any]:
        assert r.status_code == status, r.text
        return r.json()

    def classroom(self, students: int = 2, teacher: Person | None = None) -> Classroom:
        """A new class of the cast's teacher with the first `students` cast students."""
        teacher = teacher or self.cast.teacher
        opened = self.ok(self.client.post(f"{API}/classes", headers=teacher.headers, json={"name": "Year 9"}), 201)
        people, position = [], 0
        for student in self.cast.students[:students]:
            joined = self.ok(self.client.post(f"{API}/classes/join", headers=student.headers,
                                              json={"code": opened["join_code"]}))
            people.append(student)
            position = joined["position"]
        return Classroom(teacher, people, opened["class_id"], position)

    def bank(self, owner: Person, **body: Any) -> str:
        return self.ok(self.client.post(f"{API}/question-banks", headers=owner.headers,
                                        json={"title": "My questions", **body}), 201)["bank_id"]

    def question(self, owner: Person, bank_id: str, question: dict[str, Any]) -> tuple[str, int]:
        r = self.ok(self.client.post(f"{API}/question-banks/{bank_id}/questions", headers=owner.headers,
                                     json={"question": question}), 201)
        return r["question_id"], r["position"]

    def quiz(self, room: Classroom, kinds: list[str], publish: bool = True, **settings: Any) -> QuizSetup:
        bank_id = self.bank(room.teacher)
        ids = {kind: self.question(room.teacher, bank_id, SAMPLES[kind]["question"])[0] for kind in kinds}
        body = {"title": "Quiz", "class_id": room.class_id, "attempts_allowed": 2,
                "items": [{"question_id": ids[k], "points": 2} for k in kinds], **settings}
        created = self.ok(self.client.post(f"{API}/quizzes", headers=room.teacher.headers, json=body), 201)
        setup = QuizSetup(room, created["quiz_id"], ids, created["position"])
        if publish:
            self.publish(setup)
        return setup

    def publish(self, setup: QuizSetup) -> int:
        r = self.ok(self.client.post(f"{API}/quizzes/{setup.quiz_id}/publication", headers=setup.room.teacher.headers))
        setup.position = r["position"]
        return r["position"]

    def start(self, student: Person, quiz_id: str) -> Response:
        return self.client.post(f"{API}/quizzes/{quiz_id}/attempts", headers=student.headers)

    def answer(self, student: Person, attempt_id: str, question_id: str, answer: Any) -> Response:
        return self.client.put(f"{API}/attempts/{attempt_id}/answers/{question_id}", headers=student.headers,
                               json={"answer": answer})

    def submit(self, student: Person, attempt_id: str) -> Response:
        return self.client.post(f"{API}/attempts/{attempt_id}/submission", headers=student.headers)

    def get(self, person: Person | None, path: str, position: int = 0, **params: Any) -> Response:
        return self.client.get(f"{API}{path}", headers=person.headers if person else {},
                               params={"min_position": position, **params})

    def view(self, person: Person, attempt_id: str, position: int = 0) -> dict[str, Any]:
        return self.ok(self.get(person, f"/attempts/{attempt_id}", position))

    def travel(self, **delta: float) -> datetime:
        """From now on the API's clock runs this far ahead (undone after the test)."""
        moment = datetime.now(UTC) + timedelta(**delta)
        self.monkeypatch.setattr(self.deps, "clock", lambda: datetime.now(UTC) + timedelta(**delta))
        return moment

    def events(self, infra: Any, type_suffix: str) -> int:
        with infra.pool.connection() as conn:
            return conn.execute("SELECT count(*) AS n FROM skillhub_events WHERE topic LIKE %s",
                                ("%" + type_suffix,)).fetchone()["n"]


@pytest.fixture(scope="package")
def cast(app) -> Cast:
    from fastapi.testclient import TestClient

    with TestClient(app, client=("10.9.9.9", 5000)) as client:
        def person(*roles: Role) -> Person:
            email = unique_email(roles[0].value if roles else "student")
            r = client.post(f"{API}/users", json={"email": email, "password": PASSWORD, "display_name": "Cast"})
            assert r.status_code == 201, r.text
            for role in roles:
                execute(grant_role, ChangeRole(user_id=r.json()["user_id"], role=role), SYSTEM, app.state.deps)
            tokens = client.post(f"{API}/sessions", json={"email": email, "password": PASSWORD}).json()
            return Person(r.json()["user_id"], email, {"Authorization": f"Bearer {tokens['access_token']}"},
                          tokens, tokens["position"])

        return Cast(person(Role.TEACHER), person(Role.TEACHER), [person() for _ in range(5)], person(Role.ADMIN),
                    person(Role.AUDITOR), person(Role.CREATOR), person(Role.CREATOR))


@pytest.fixture
def kit(client, make_person, app, monkeypatch, cast) -> Kit:
    return Kit(client, make_person, app, monkeypatch, cast)
