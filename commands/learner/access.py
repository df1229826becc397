"""Who may read a student's mastery: the student, admins and auditors, the teacher of a class the
student is in now, and the owner of a course the student is enrolled in now. Next steps and why
a suggestion was shown stay with the student, admins and auditors: reading next steps records
them as shown to the student.

Membership and enrolment come from the classroom and enrolment read models (one query): who is
in which class or course is not kept on the student's side of any aggregate."""

from __future__ import annotations

from uuid import UUID

from commands.pipeline import Actor, Deps, require_login
from domain.errors import Forbidden
from domain.identity import Role

READERS = (Role.ADMIN, Role.AUDITOR)

_TEACHES = """
SELECT EXISTS (SELECT 1 FROM view_classroom.members m JOIN view_classroom.classes c USING (class_id)
               WHERE m.student_id = %(student)s AND m.removed_at IS NULL AND c.teacher_id = %(me)s)
    OR EXISTS (SELECT 1 FROM view_enrolment.enrolments e JOIN view_catalog.courses k USING (course_id)
               WHERE e.student_id = %(student)s AND e.active AND k.owner_id = %(me)s) AS teaches"""


def teaches(deps: Deps, teacher_id: UUID, student_id: UUID) -> bool:
    with deps.pool.connection() as conn:
        return bool(conn.execute(_TEACHES, {"student": student_id, "me": teacher_id}).fetchone()["teaches"])


def require_mastery_reader(deps: Deps, actor: Actor, student_id: UUID) -> None:
    caller = require_login(actor)
    if caller == student_id or actor.has_role(*READERS) or teaches(deps, caller, student_id):
        return
    raise Forbidden("a student's mastery is for them, their teachers, the owners of their courses, admins and auditors")
