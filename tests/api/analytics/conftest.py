"""Courses from the catalog kit, and a course with one enrolled student who learns in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from domain.identity import Role
from tests.api.catalog.conftest import catalog_staff, kit  # noqa: F401  (fixtures)
from tests.api.conftest import Person


@dataclass
class Learning:
    course: dict[str, Any]
    author: Person
    student: Person
    position: int


def post(client: Any, who: Person, path: str, **body: Any) -> int:
    r = client.post(f"/api/v1{path}", headers=who.headers, json=body or None)
    assert r.status_code in (200, 201), r.text
    return r.json()["position"]


@pytest.fixture
def learning(client, kit, make_person) -> Learning:
    """A published course of 4 lessons (an author of its own) and a student who completed the first two."""
    author = make_person(Role.CREATOR)
    course = kit.published(author, lessons=4)
    student = make_person()
    course_id = course["course_id"]
    post(client, student, f"/courses/{course_id}/enrolment")
    for lesson_id in course["lesson_ids"][:2]:
        position = post(client, student, f"/courses/{course_id}/lessons/{lesson_id}/completion")
    return Learning(course, author, student, position)


def get(client: Any, who: Person | None, path: str, position: int = 0, **params: Any) -> Any:
    headers = who.headers if who else {}
    return client.get(f"/api/v1{path}", headers=headers, params={"min_position": position, **params})
