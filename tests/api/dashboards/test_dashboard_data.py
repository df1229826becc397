"""The JSON the dashboards draw that no other route gives: a class's heat map (its teacher only),
a student's own activity by day, and platform usage (admins and auditors)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domain.identity import Role
from tests.api.dashboards.conftest import API, LESSONS_DONE, School


def _get(school: School, who, path: str, **params):
    return school.client.get(f"{API}{path}", headers=who.headers, params={"min_position": school.position, **params})


def test_the_heat_map_shows_each_student_on_each_lesson(school):
    r = _get(school, school.teacher, f"/dashboards/classes/{school.class_id}/heat-map")
    assert r.status_code == 200, r.text
    heat = r.json()
    assert [lesson["title"] for lesson in heat["lessons"]] == ["Fractions", "Decimals", "Percentages"]
    assert [lesson["lesson_id"] for lesson in heat["lessons"]] == school.lesson_ids
    assert [s["display_name"] for s in heat["students"]] == ["Ada Student", "Ben Student", "Cy Student"]
    # Completed lessons are 1.0; lessons never opened are null.
    assert heat["values"] == [[1.0] * done + [None] * (3 - done) for done in LESSONS_DONE]


def test_only_the_classes_teacher_reads_its_heat_map(school, make_person):
    path = f"/dashboards/classes/{school.class_id}/heat-map"
    assert _get(school, school.students[0], path).status_code == 403  # a student of the class
    assert _get(school, make_person(Role.TEACHER), path).status_code == 404  # another teacher: not told it exists
    assert _get(school, school.teacher, f"/dashboards/classes/{uuid.uuid4()}/heat-map").status_code == 404
    r = school.client.get(f"{API}{path}")
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
    bad = _get(school, school.teacher, "/dashboards/classes/not-a-class/heat-map")
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"


def test_a_student_sees_their_own_activity_by_day(school):
    today = datetime.now(UTC).date().isoformat()
    for student, done in zip(school.students, LESSONS_DONE, strict=True):
        r = _get(school, student, "/dashboards/me/activity", days=7)
        assert r.status_code == 200, r.text
        days = r.json()["days"]
        assert len(days) == 7 and days[-1]["day"] == today  # every day of the window, ending today
        # Class lessons, plus the course lessons of the first two (2 and 1), and one quiz each.
        course_lessons = {0: 2, 1: 1}.get(school.students.index(student), 0)
        assert sum(d["lessons_completed"] for d in days) == done + course_lessons
        assert sum(d["quizzes_submitted"] for d in days) == 1
        assert days[-1]["quizzes_submitted"] == 1


def test_activity_windows_are_bounded(school):
    for days in (0, 367, "a"):
        r = _get(school, school.students[0], "/dashboards/me/activity", days=days)
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert school.client.get(f"{API}/dashboards/me/activity").status_code == 401


def test_admins_and_auditors_see_platform_usage(school, make_person):
    r = _get(school, school.admin, "/dashboards/platform", days=3)
    assert r.status_code == 200, r.text
    usage = r.json()
    assert len(usage["days"]) == 3
    today = usage["days"][-1]
    # This run's other tests add people and learning too: at least the school's own is counted today.
    assert today["active_learners"] >= 3 and today["quizzes_submitted"] >= 3 and today["lessons_completed"] >= 7
    assert today["sign_ups"] >= 5 and today["people_signed_in"] >= 5
    totals = usage["totals"]
    assert totals["teachers"] >= 1 and totals["open_classes"] >= 1 and totals["certificates"] >= 1
    assert totals["quiz_attempts"] >= 3 and totals["published_courses"] >= 1 and totals["active_enrolments"] >= 2
    assert _get(school, make_person(Role.AUDITOR), "/dashboards/platform").status_code == 200


def test_platform_usage_is_refused_to_everyone_else(school, make_person):
    for who in (school.teacher, school.students[0], make_person(Role.MODERATOR)):
        r = _get(school, who, "/dashboards/platform")
        assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    assert school.client.get(f"{API}/dashboards/platform").status_code == 401
    assert _get(school, school.admin, "/dashboards/platform", days=0).status_code == 422
