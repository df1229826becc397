"""Who is told what: one rule per kind of event. Adding a kind of notification is adding a
rule here (plus its type in domain.notification.TYPES and its templates).

Rules run inside the notification projection (projections/notification.py), so recipients
may be looked up in its tables (unqualified names). Nobody is told of their own action:
recipients equal to the event's actor are dropped by the projection, not by each rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import psycopg

from domain.attempts import Attempt
from domain.certification import Certificate
from domain.gradebook import GradeOverride
from domain.identity import CreatorApplication, User

Recipients = Callable[[psycopg.Cursor, Any], list[UUID]]


def _nothing(event: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Rule:
    event: type
    type: str  # a key of domain.notification.TYPES: what preferences are about
    template: str  # adapters/templates/notifications/<template>.*
    recipients: Recipients
    # Values for the templates, kept with the message: never secrets.
    context: Callable[[Any], dict[str, Any]] = field(default=_nothing)
    # Values read again from the (decrypted) event when the e-mail is sent, never stored.
    secrets: Callable[[Any], dict[str, Any]] | None = None


def the_person(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    return [event.originator_id]


def the_student(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    return [event.student_id]


def the_applicant(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    cur.execute("SELECT user_id FROM applications WHERE application_id = %s", (event.originator_id,))
    row = cur.fetchone()
    return [row["user_id"]] if row else []


RULES: list[Rule] = [
    Rule(User.PasswordResetRequested, "password_reset", "password_reset", the_person,
         context=lambda e: {"expires_at": e.expires_at.strftime("%Y-%m-%d %H:%M")},
         secrets=lambda e: {"token": e.token}),
    Rule(User.RoleGranted, "role_granted", "role_granted", the_person,
         context=lambda e: {"role": e.role}),
    Rule(CreatorApplication.Approved, "creator_application", "creator_application_approved", the_applicant),
    Rule(CreatorApplication.Rejected, "creator_application", "creator_application_rejected", the_applicant,
         context=lambda e: {"reason": e.reason}),
    Rule(User.Deactivated, "account_deactivated", "account_deactivated", the_person,
         context=lambda e: {"reason": e.reason}),
    Rule(Certificate.Issued, "certificate", "certificate_issued", the_student,
         context=lambda e: {"course_title": e.course_title, "code": e.code, "certificate_id": str(e.originator_id)}),
    Rule(Certificate.Revoked, "certificate", "certificate_revoked", the_student,
         context=lambda e: {"reason": e.reason}),
    Rule(Attempt.EssayGraded, "grade", "grade_recorded", the_student,
         context=lambda e: {"attempt_id": str(e.originator_id), "points": e.grade.get("points"),
                            "max": e.grade.get("max")}),
    Rule(GradeOverride.Overridden, "grade", "grade_overridden", the_student,
         context=lambda e: {"scope_id": str(e.scope_id), "grade": e.grade, "reason": e.reason}),
]

BY_EVENT: dict[type, Rule] = {r.event: r for r in RULES}
BY_TEMPLATE: dict[str, Rule] = {r.template: r for r in RULES}

