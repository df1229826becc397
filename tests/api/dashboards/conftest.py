"""One school to look at, made once for the dashboard tests: a teacher's class with three lessons,
a quiz that three students took and homework that closes in three days, a published course two of them are in (one completed it and
holds its certificate), and an admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from commands.pipeline import SYSTEM, execute
from commands.identity.roles import ChangeRole, grant_role
from domain.identity import Role
from projections.engine.tracking import log_head
from tests.api.assessment.conftest import Classroom, Kit, QuizSetup
from tests.api.certification.conftest import CertKit
from tests.api.conftest import PASSWORD, Person, unique_email
from tests.assessment_samples import SAMPLES

API = "/api/v1"
KINDS = ["single_choice", "true_false", "multiple_choice"]
# Per student: which of the quiz's questions they answer right, and how many class lessons they complete.
ANSWERS = [(1, 1, 1), (1, 0, 1), (0, 0, 1)]
LESSONS_DONE = [3, 1, 0]


@dataclass
class School:
    client: TestClient
    teacher: Person
    students: list[Person]
    admin: Person
    class_id: str
    lesson_ids: list[str]
    quiz: QuizSetup
    course: dict[str, Any]
    position: int


class _Cast:
    def __init__(self, teacher: Person, students: list[Person]) -> None:
        self.teacher, self.students = teacher, students


def _person(client: TestClient, app: Any, name: str, *roles: Role) -> Person:
    email = unique_email(roles[0].value if roles else "student")
    r = client.post(f"{API}/users", json={"email": email, "password": PASSWORD, "display_name": name})
    assert r.status_code == 201, r.text
    for role in roles:
        execute(grant_role, ChangeRole(user_id=r.json()["user_id"], role=role), SYSTEM, app.state.deps)
    tokens = client.post(f"{API}/sessions", json={"email": email, "password": PASSWORD}).json()
    return Person(r.json()["user_id"], email, {"Authorization": f"Bearer {tokens['access_token']}"},
                  tokens, tokens["position"])


def _ok(r: Any, status: int = 200) -> dict[str, Any]:
    assert r.status_code == status, r.text
    return r.json()


@pytest.fixture(scope="package")
def school(app) -> School:
    with TestClient(app, client=("10.8.8.8", 5000)) as client:
        teacher = _person(client, app, "Tess Teacher", Role.TEACHER)
        students = [_person(client, app, name) for name in ("Ada Student", "Ben Student", "Cy Student")]
        admin = _person(client, app, "Ann Admin", Role.ADMIN)
        kit = Kit(client, None, app, None, _Cast(teacher, students))  # type: ignore[arg-type]
        room: Classroom = kit.classroom(3)
        lesson_ids = []
        for title in ("Fractions", "Decimals", "Percentages"):
            r = _ok(client.post(f"{API}/classes/{room.class_id}/lessons", headers=teacher.headers,
                                json={"title": title, "body": f"# {title}"}), 201)
            _ok(client.post(f"{API}/classes/{room.class_id}/lessons/{r['lesson_id']}/publication", headers=teacher.headers))
            lesson_ids.append(r["lesson_id"])
        for student, done in zip(students, LESSONS_DONE, strict=True):
            for lesson_id in lesson_ids[:done]:
                _ok(client.post(f"{API}/classes/{room.class_id}/lessons/{lesson_id}/completion", headers=student.headers))
        quiz = kit.quiz(room, KINDS, pass_mark=50, attempts_allowed=3)
        kit.quiz(room, ["true_false"], title="Homework", closes_at=(datetime.now(UTC) + timedelta(days=3)).isoformat())
        for student, pattern in zip(students, ANSWERS, strict=True):
            attempt_id = _ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
            for kind, right in zip(KINDS, pattern, strict=True):
                _ok(kit.answer(student, attempt_id, quiz.questions[kind], SAMPLES[kind]["right" if right else "wrong"]))
            _ok(kit.submit(student, attempt_id))
        ck = CertKit(client, lambda *roles: _person(client, app, "Staff", *roles), {}, app)
        course = ck.completed(students[0], ck.published(lessons=2))
        ck.completed(students[1], course, lessons=1)
        ck.issue()
        return School(client, teacher, students, admin, room.class_id, lesson_ids, quiz, course,
                      log_head(app.state.deps.pool))
