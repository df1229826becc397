"""A class with its teacher and one student, and helpers to act on it through the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from httpx import Response

from domain.identity import Role
from projections.engine.tracking import log_head
from tests.api.conftest import Person


@dataclass
class ClassSetup:
    teacher: Person
    student: Person
    class_id: str
    code: str
    position: int = 0
    lessons: list[str] = field(default_factory=list)


class ClassroomApi:
    """Thin helpers over the HTTP API: each asserts what it needs and returns the response."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def open_class(self, teacher: Person, **fields: Any) -> dict[str, Any]:
        r = self.client.post("/api/v1/classes", headers=teacher.headers,
                             json={"name": "Algebra 1", "description": "Linear equations", "term": "Autumn", **fields})
        assert r.status_code == 201, r.text
        return r.json()

    def join(self, person: Person, code: str) -> Response:
        return self.client.post("/api/v1/classes/join", headers=person.headers, json={"code": code})

    def upload(self, person: Person, data: bytes, filename: str = "file.bin", **headers: str) -> Response:
        return self.client.post("/api/v1/media", params={"filename": filename}, content=data,
                                headers={**person.headers, "Content-Type": "application/octet-stream", **headers})

    def add_lesson(self, teacher: Person, class_id: str, *, publish: bool = True, **fields: Any) -> tuple[str, int]:
        r = self.client.post(f"/api/v1/classes/{class_id}/lessons", headers=teacher.headers,
                             json={"title": "Lesson", "body": "# Hello\n\nSome *Markdown*.", **fields})
        assert r.status_code == 201, r.text
        lesson_id, position = r.json()["lesson_id"], r.json()["position"]
        if publish:
            r = self.client.post(f"/api/v1/classes/{class_id}/lessons/{lesson_id}/publication", headers=teacher.headers)
            assert r.status_code == 200, r.text
            position = r.json()["position"]
        return lesson_id, position

    def head(self) -> int:
        """The log's current end: reading at it shows that a refused request recorded nothing."""
        return log_head(self.client.app.state.deps.pool)

    def get(self, person: Person, path: str, position: int = 0, **params: Any) -> Response:
        return self.client.get(f"/api/v1{path}", headers=person.headers, params={"min_position": position, **params})


@pytest.fixture
def api(client) -> ClassroomApi:
    return ClassroomApi(client)


@pytest.fixture
def setup(api: ClassroomApi, make_person) -> ClassSetup:
    """A teacher's class with one student who joined with the code."""
    teacher, student = make_person(Role.TEACHER), make_person()
    opened = api.open_class(teacher)
    r = api.join(student, opened["join_code"])
    assert r.status_code == 200, r.text
    return ClassSetup(teacher, student, opened["class_id"], opened["join_code"], r.json()["position"])
