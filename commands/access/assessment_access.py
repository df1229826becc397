"""Who may write, take and read assessments: the one place that asks other contexts.

- classroom: who teaches a class (SchoolClass.teacher_id) and who is in it (.students);
- catalog: who owns a course (Course.owner_id); enrolment: who takes it (Enrolment.active).

Decided from those aggregates, the current state rather than a read model that may lag, so a
student removed from a class cannot start its quiz with the very next request. A class quiz is
written by the class's teacher, a course quiz by the course's owner; admins may do both.
Outsiders get 404, as if the quiz did not exist; people who see it but may not do something
get 403.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from commands.loading import find
from commands.pipeline import Actor, Deps, require_login
from domain.catalog import Course
from domain.classroom import SchoolClass
from domain.enrolment import Enrolment, enrolment_id
from domain.errors import Forbidden, NotFound
from domain.identity import Role
from domain.question_bank import BankOwner, QuestionBank
from domain.quizzes import Audience, Quiz
from projections.catalog import enrolment_queries


def manager_of(deps: Deps, audience: str, audience_id: UUID) -> UUID | None:
    """The class's teacher or the course's owner."""
    if audience == Audience.CLASS:
        school_class = find(deps, SchoolClass, audience_id, read_only=True)
        return school_class.teacher_id if school_class else None
    course = find(deps, Course, audience_id, read_only=True)
    return course.owner_id if course else None


def is_member(deps: Deps, audience: str, audience_id: UUID, user_id: UUID) -> bool:
    if audience == Audience.CLASS:
        school_class = find(deps, SchoolClass, audience_id, read_only=True)
        return school_class is not None and user_id in school_class.students
    enrolment = find(deps, Enrolment, enrolment_id(user_id, audience_id), read_only=True)
    return enrolment is not None and enrolment.active


def members_of(deps: Deps, audience: str, audience_id: UUID) -> list[UUID]:
    """Everyone expected to take a quiz of this class or course, now."""
    if audience == Audience.CLASS:
        school_class = find(deps, SchoolClass, audience_id, read_only=True)
        return sorted(school_class.students) if school_class else []
    members, cursor = [], None
    while True:  # the catalog offers the course's students page by page
        found = enrolment_queries.course_students(deps.pool, audience_id, limit=100, cursor=cursor)
        members += [row["student_id"] for row in found["items"]]
        cursor = found["next_cursor"]
        if cursor is None:
            return members


def _manages(actor: Actor, manager_id: UUID | None, audience: str) -> bool:
    if actor.has_role(Role.ADMIN):
        return True
    if manager_id != actor.user_id:
        return False
    # A class teacher who lost the teacher role manages nothing (as in the classroom).
    return audience != Audience.CLASS or actor.has_role(Role.TEACHER)


def require_audience_manager(deps: Deps, actor: Actor, audience: Audience, audience_id: UUID) -> UUID:
    user_id = require_login(actor)
    manager_id = manager_of(deps, audience, audience_id)
    if manager_id is not None and _manages(actor, manager_id, audience):
        return user_id
    if manager_id is not None and is_member(deps, audience, audience_id, user_id):
        raise Forbidden(f"only the {'teacher' if audience == Audience.CLASS else 'owner'} writes its quizzes")
    raise NotFound(f"{audience.value} {audience_id} not found")


def sees_drafts(deps: Deps, actor: Actor, audience: Audience, audience_id: UUID) -> bool:
    """For listing a class's or course's quizzes: its manager (and auditors) see drafts too,
    its students only published quizzes; anyone else gets 404."""
    user_id = require_login(actor)
    manager_id = manager_of(deps, audience, audience_id)
    if manager_id is not None and (_manages(actor, manager_id, audience) or actor.has_role(Role.AUDITOR)):
        return True
    if manager_id is not None and is_member(deps, audience, audience_id, user_id):
        return False
    raise NotFound(f"{audience.value} {audience_id} not found")


class QuizRole(StrEnum):
    MANAGER = "manager"
    READER = "reader"  # auditors: reports and attempts, no changes
    TAKER = "taker"


def quiz_role(deps: Deps, actor: Actor, quiz: Quiz) -> QuizRole:
    user_id = require_login(actor)
    if _manages(actor, manager_of(deps, quiz.audience, quiz.audience_id), quiz.audience):
        return QuizRole.MANAGER
    if actor.has_role(Role.AUDITOR):
        return QuizRole.READER
    if is_member(deps, quiz.audience, quiz.audience_id, user_id) and quiz.versions:
        return QuizRole.TAKER
    raise NotFound(f"quiz {quiz.id} not found")


def require_quiz_manager(deps: Deps, actor: Actor, quiz: Quiz) -> UUID:
    if quiz_role(deps, actor, quiz) != QuizRole.MANAGER:
        raise Forbidden("only the quiz's teacher or course owner may do this")
    return actor.user_id


def require_bank_owner(deps: Deps, actor: Actor, owner_kind: BankOwner, owner_id: UUID) -> UUID:
    """A teacher's own bank, or the bank of a course the caller owns."""
    user_id = require_login(actor)
    if actor.has_role(Role.ADMIN):
        return user_id
    if owner_kind == BankOwner.TEACHER:
        if owner_id == user_id and actor.has_role(Role.TEACHER):
            return user_id
        raise Forbidden("personal question banks are for teachers")
    if manager_of(deps, Audience.COURSE, owner_id) == user_id:
        return user_id
    raise NotFound(f"course {owner_id} not found")


def require_bank_manager(deps: Deps, actor: Actor, bank: QuestionBank) -> UUID:
    try:
        return require_bank_owner(deps, actor, BankOwner(bank.owner_kind), bank.owner_id)
    except (Forbidden, NotFound):
        raise NotFound(f"question bank {bank.id} not found") from None
