"""Catalog test helpers: course bodies with known lesson ids, and a kit that creates,
publishes and reads courses through the API."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from domain.identity import Role


def course_body(title: str = "Intro to Testing", lessons: int = 2, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": title,
        "summary": "A short course",
        "description": "# About\nLearn things.",
        "level": "beginner",
        "language": "en",
        "modules": [{
            "title": "Module 1",
            "lessons": [
                {"lesson_id": str(uuid.uuid4()), "title": f"Lesson {i + 1}", "content": f"Text {i + 1}",
                 "estimated_minutes": 10}
                for i in range(lessons)
            ],
        }],
    }
    body.update(overrides)
    return body


def lesson_ids(body: dict[str, Any]) -> list[str]:
    return [lesson["lesson_id"] for m in body["modules"] for lesson in m["lessons"]]


# Access tokens live 15 minutes: a shared staff member older than this is made anew.
STAFF_REUSE_SECONDS = 600


class CatalogKit:
    """`author` and `moderator` are shared by the tests of a run (registering people is the
    slow part of a test); tests needing a person of their own make one."""

    def __init__(self, client: Any, make_person: Any, staff: dict[str, tuple[Any, float]]) -> None:
        self.client, self.make_person, self._staff = client, make_person, staff

    def _cached(self, name: str, role: Role) -> Any:
        person, made = self._staff.get(name, (None, 0.0))
        if person is None or time.monotonic() - made > STAFF_REUSE_SECONDS:
            person, made = self.make_person(role), time.monotonic()
            self._staff[name] = (person, made)
        return person

    @property
    def author(self) -> Any:
        return self._cached("author", Role.CREATOR)

    @property
    def moderator(self) -> Any:
        return self._cached("moderator", Role.MODERATOR)

    def create(self, author: Any = None, **overrides: Any) -> dict[str, Any]:
        """A draft; returns its id, lesson ids and the log position."""
        body = course_body(**overrides)
        r = self.client.post("/api/v1/courses", json=body, headers=(author or self.author).headers)
        assert r.status_code == 201, r.text
        return {**r.json(), "lesson_ids": lesson_ids(body), "author": author or self.author}

    def publish(self, course: dict[str, Any]) -> int:
        course_id, headers = course["course_id"], course["author"].headers
        r = self.client.post(f"/api/v1/courses/{course_id}/submission", headers=headers)
        assert r.status_code == 200, r.text
        r = self.client.post(f"/api/v1/courses/{course_id}/review", json={"approve": True}, headers=self.moderator.headers)
        assert r.status_code == 200, r.text
        course["position"] = r.json()["position"]
        return course["position"]

    def published(self, author: Any = None, **overrides: Any) -> dict[str, Any]:
        course = self.create(author, **overrides)
        self.publish(course)
        return course

    def detail(self, course_id: str, who: Any = None, position: int = 0) -> Any:
        headers = who.headers if who else {}
        return self.client.get(f"/api/v1/courses/{course_id}", headers=headers, params={"min_position": position})

    def search(self, position: int = 0, **params: Any) -> Any:
        return self.client.get("/api/v1/courses", params={"min_position": position, **params})


@pytest.fixture(scope="session")
def catalog_staff() -> dict[str, tuple[Any, float]]:
    return {}


@pytest.fixture
def kit(client, make_person, catalog_staff) -> CatalogKit:
    return CatalogKit(client, make_person, catalog_staff)


def event_count(infra: Any, aggregate_id: str | None = None, type_suffix: str = "") -> int:
    """Events (of one aggregate, if given) whose type ends with e.g. 'Enrolment.Enrolled'."""
    with infra.pool.connection() as conn:
        return conn.execute(
            "SELECT count(*) AS n FROM skillhub_events WHERE (%s::uuid IS NULL OR originator_id = %s::uuid)"
            " AND topic LIKE %s",
            (aggregate_id, aggregate_id, "%" + type_suffix),
        ).fetchone()["n"]


def class_with(client: Any, teacher: Any, students: list[Any]) -> tuple[str, int]:
    """A class of the teacher with these students invited; its id and the last log position."""
    r = client.post("/api/v1/classes", json={"name": "Form 3B"}, headers=teacher.headers)
    assert r.status_code == 201, r.text
    class_id, position = r.json()["class_id"], r.json()["position"]
    for s in students:
        r = client.post(f"/api/v1/classes/{class_id}/students", json={"user_id": s.user_id}, headers=teacher.headers)
        assert r.status_code == 201, r.text
        position = r.json()["position"]
    return class_id, position
