"""The words of the access table (api/platform/access/table.py): who gets past the gate of an
operation (a role, any signed-in person, or anyone) and which relation to the resource its
command or query then checks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.identity import Role

ROLES: tuple[str, ...] = tuple(r.value for r in Role)


class Relation(StrEnum):
    """What the command or query checks after the gate; the gate itself checks roles only."""

    NONE = "none"
    SELF = "self"  # the user_id / student_id in the path is the caller
    COURSE_OWNER = "course_owner"
    ENROLLED = "enrolled"  # a student of the course (enrolled or assigned)
    CLASS_TEACHER = "class_teacher"
    CLASS_MEMBER = "class_member"  # the class's teacher or one of its students
    CLASS_STUDENT = "class_student"
    SCOPE_STAFF = "scope_staff"  # the course's owner or the class's teacher (scope_id)
    BANK_MANAGER = "bank_manager"  # the bank's teacher or course owner
    QUIZ_STAFF = "quiz_staff"  # the quiz's teacher or course owner
    QUIZ_STUDENT = "quiz_student"
    QUIZ_READER = "quiz_reader"  # its staff (everything) or its students (the published settings)
    ATTEMPT_STUDENT = "attempt_student"
    HOLDER = "holder"  # of a certificate
    UPLOADER = "uploader"  # of a media file, or a reader of a lesson it is attached to
    RECIPIENT = "recipient"  # of a notification, push subscription, calendar feed secret
    FORUM_READER = "forum_reader"
    FORUM_MODERATOR = "forum_moderator"
    POST_AUTHOR = "post_author"
    EXAMINER = "examiner"  # of a live session
    PARTICIPANT = "participant"  # examiner or student of a live session
    SESSION_STUDENT = "session_student"


ANYONE = "anyone"  # no login
SIGNED_IN = "signed_in"  # any logged-in person, whatever their roles


@dataclass(frozen=True)
class Rule:
    gate: frozenset[str]  # {ANYONE}, {SIGNED_IN} or role names
    relation: Relation = Relation.NONE
    bypass: frozenset[str] = frozenset()  # roles that pass without the relation
    hidden: bool = False  # a caller without the relation may get 404, not 403: existence is not told
    refused_as_rule: bool = False  # ... or 409: the command checks the relation as a business rule

    @property
    def refusals(self) -> frozenset[int]:
        """The statuses a signed-in caller without the relation may get."""
        return frozenset({403} | ({404} if self.hidden else set()) | ({409} if self.refused_as_rule else set()))

    @property
    def public(self) -> bool:
        return ANYONE in self.gate

    def admits_role(self, roles: frozenset[str]) -> bool:
        """The gate: the roles alone, before the route runs."""
        return self.public or SIGNED_IN in self.gate or bool(self.gate & roles)

    def needs_relation(self, roles: frozenset[str]) -> bool:
        return self.relation is not Relation.NONE and not (self.bypass & roles)


def _names(roles: tuple[Role | str, ...]) -> frozenset[str]:
    return frozenset(r.value if isinstance(r, Role) else r for r in roles)


def anyone() -> Rule:
    return Rule(frozenset({ANYONE}))


def signed_in(relation: Relation = Relation.NONE, *bypass: Role, hidden: bool = False,
              refused_as_rule: bool = False) -> Rule:
    """Any logged-in person; with a relation, only those who hold it, or one of `bypass`."""
    return Rule(frozenset({SIGNED_IN}), relation, _names(bypass), hidden, refused_as_rule)


def roles(*gate: Role, relation: Relation = Relation.NONE, bypass: tuple[Role, ...] = (), hidden: bool = False) -> Rule:
    """Only these roles (and `bypass`) get past the gate; with a relation, those of `gate`
    must also hold it."""
    return Rule(_names(gate) | _names(bypass), relation, _names(bypass), hidden)
