"""Classroom context: a teacher's class, its roster, its join code and the order of its lessons."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import InvalidInput, RuleBroken
from domain.event_conventions import Root

# No 0/O, 1/I/L: a code read aloud or copied from a board is typed without doubt.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(text: str) -> str:
    """People type codes in lower case, with spaces or a dash in the middle."""
    return "".join(ch for ch in text.upper() if ch not in " -")


def join_code_id(code: str, secret_key: str) -> UUID:
    """A keyed hash, so a code cannot be found from its aggregate id in the log."""
    digest = hmac.new(secret_key.encode(), normalize_join_code(code).encode(), hashlib.sha256)
    return uuid5(NAMESPACE_URL, "skillhub:join-code:" + digest.hexdigest())


class SchoolClass(Root):
    class Opened(Root.Created):
        teacher_id: UUID
        name: str
        description: str
        term: str
        personal_fields = ("name", "description", "term")
        personal_subject = "teacher_id"

        def apply(self, c: SchoolClass) -> None:
            c.teacher_id, c.join_code_id, c.archived = self.teacher_id, None, False
            c.students, c.removed, c.lesson_ids = set(), set(), []

    class JoinCodeIssued(Root.Event):
        code_id: UUID
        code: str
        secret_fields = ("code",)

        def apply(self, c: SchoolClass) -> None:
            c.join_code_id = self.code_id

    class StudentJoined(Root.Event):
        student_id: UUID
        via: str  # "code" or "invitation"

        def apply(self, c: SchoolClass) -> None:
            c.students.add(self.student_id)
            c.removed.discard(self.student_id)

    class StudentRemoved(Root.Event):
        student_id: UUID

        def apply(self, c: SchoolClass) -> None:
            c.students.discard(self.student_id)
            c.removed.add(self.student_id)

    class LessonAdded(Root.Event):
        lesson_id: UUID

        def apply(self, c: SchoolClass) -> None:
            c.lesson_ids.append(self.lesson_id)

    class LessonsReordered(Root.Event):
        lesson_ids: list[UUID]

        def apply(self, c: SchoolClass) -> None:
            c.lesson_ids = list(self.lesson_ids)

    class Archived(Root.Event):
        def apply(self, c: SchoolClass) -> None:
            c.archived = True

    @classmethod
    def open(cls, class_id: UUID, teacher_id: UUID, name: str, description: str, term: str) -> SchoolClass:
        return cls._create(cls.Opened, id=class_id, teacher_id=teacher_id, name=name,
                           description=description, term=term)

    def require_open(self) -> None:
        """An archived class takes no joins and no lesson changes."""
        if self.archived:
            raise RuleBroken("the class is archived")

    def issue_join_code(self, code_id: UUID, code: str) -> None:
        self.require_open()
        self.trigger_event(self.JoinCodeIssued, code_id=code_id, code=code)

    def join(self, student_id: UUID, code_id: UUID) -> None:
        if code_id != self.join_code_id:
            raise InvalidInput("join code is not valid", fields={"code": "unknown or replaced code"})
        self.require_open()
        if student_id in self.removed:
            raise RuleBroken("the teacher removed you from this class; ask them to invite you")
        self._admit(student_id, "code")

    def invite(self, student_id: UUID) -> None:
        self.require_open()
        self._admit(student_id, "invitation")

    def _admit(self, student_id: UUID, via: str) -> None:
        if student_id == self.teacher_id:
            raise RuleBroken("the teacher of a class cannot be one of its students")
        if student_id in self.students:
            raise RuleBroken("already a student of this class")
        self.trigger_event(self.StudentJoined, student_id=student_id, via=via)

    def remove(self, student_id: UUID) -> None:
        if student_id not in self.students:
            raise RuleBroken("not a student of this class")
        self.trigger_event(self.StudentRemoved, student_id=student_id)

    def add_lesson(self, lesson_id: UUID) -> None:
        self.require_open()
        self.trigger_event(self.LessonAdded, lesson_id=lesson_id)

    def reorder(self, lesson_ids: list[UUID]) -> None:
        self.require_open()
        if len(lesson_ids) != len(set(lesson_ids)) or set(lesson_ids) != set(self.lesson_ids):
            raise InvalidInput(
                "lesson_ids must list every lesson of the class exactly once",
                fields={"lesson_ids": f"expected a permutation of the class's {len(self.lesson_ids)} lessons"},
            )
        self.trigger_event(self.LessonsReordered, lesson_ids=lesson_ids)

    def archive(self) -> None:
        self.require_open()
        self.trigger_event(self.Archived)


class JoinCode(Root):
    """Finds a class from its code; optimistic concurrency on it keeps codes unique."""

    class Issued(Root.Created):
        class_id: UUID

        def apply(self, code: JoinCode) -> None:
            code.class_id = self.class_id

    @classmethod
    def issue(cls, code_id: UUID, class_id: UUID) -> JoinCode:
        return cls._create(cls.Issued, id=code_id, class_id=class_id)
