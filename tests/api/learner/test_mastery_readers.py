"""Who may read a student's mastery: their class's teacher and their course's owner (while the
student is in it), auditors and admins; not a classmate, another teacher or another course's owner.
Next steps stay the student's (reading them records them as shown)."""

from __future__ import annotations

import pytest

from domain.identity import Role
from tests.api.catalog.conftest import CatalogKit, catalog_staff, class_with  # noqa: F401 - fixture

API = "/api/v1"
# Several people registered (argon2), a course, a class and a quiz: slow on a loaded CI machine.
pytestmark = pytest.mark.timeout(300)


def mastery(kit, person, student, position: int):
    return kit.client.get(f"{API}/learners/{student.user_id}/mastery", headers=person.headers,
                          params={"min_position": position})


def test_teachers_course_owners_and_auditors_read_a_students_mastery(kit, learner, catalog_staff):  # noqa: F811
    student, classmate = kit.make_person(), kit.make_person()
    teacher, other_teacher = kit.make_person(Role.TEACHER), kit.make_person(Role.TEACHER)
    class_id, position = class_with(kit.client, teacher, [student, classmate])
    catalog = CatalogKit(kit.client, kit.make_person, catalog_staff)
    course, other_course = catalog.published(), catalog.published(kit.make_person(Role.CREATOR))
    enrolled = kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/enrolment", headers=student.headers), 201)
    position = max(position, enrolled["position"])

    for reader in (student, teacher, course["author"], kit.cast.auditor, kit.cast.admin):
        found = kit.ok(mastery(kit, reader, student, position))
        assert found["student_id"] == student.user_id and found["skills"] == []
    for outsider in (classmate, other_teacher, other_course["author"]):
        r = mastery(kit, outsider, student, position)
        assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json", r.text
    assert kit.client.get(f"{API}/learners/{student.user_id}/mastery").status_code == 401
    for person in (teacher, course["author"]):  # next steps are recorded as shown: the student's own
        r = kit.client.get(f"{API}/learners/{student.user_id}/next-steps", headers=person.headers)
        assert r.status_code == 403

    removed = kit.ok(kit.client.delete(f"{API}/classes/{class_id}/students/{student.user_id}", headers=teacher.headers))
    left = kit.ok(kit.client.delete(f"{API}/courses/{course['course_id']}/enrolment", headers=student.headers))
    for former in (teacher, course["author"]):
        assert mastery(kit, former, student, max(removed["position"], left["position"])).status_code == 403
