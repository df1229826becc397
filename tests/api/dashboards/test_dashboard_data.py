"""The JSON the dashboards draw that no other route gives: a class's heat map (its teacher only),
a student's own activity by day and what a person teaches (their own only: those routes take no id),
and a class's or course's mastery per skill (its teacher or owner)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.identity import Role
from tests.api.dashboards.conftest import API, LESSONS_DONE, School

pytestmark = pytest.mark.timeout(300)  # the package's school is built in the first test's setup (see test_browser.py)


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
    course_lessons = [2, 1, 0]
    for student, done, in_course in zip(school.students, LESSONS_DONE, course_lessons, strict=True):
        r = _get(school, student, "/dashboards/me/activity", days=7)
        assert r.status_code == 200, r.text
        days = r.json()["days"]
        assert [d["day"] for d in days][-1] == today and len(days) == 7  # every day of the window, ending today
        assert all(d == {"day": d["day"], "lesson_views": 0, "completions": 0, "results": 0, "minutes": 0.0}
                   for d in days[:-1])
        # Today: class lessons opened and completed (completing opens), course lessons completed, the quiz.
        assert {k: days[-1][k] for k in ("lesson_views", "completions", "results")} == {
            "lesson_views": done, "completions": done + in_course, "results": 1}


def test_teachers_and_course_owners_see_what_they_teach(school):
    r = _get(school, school.teacher, "/dashboards/me/teaching")
    assert r.status_code == 200, r.text
    assert r.json()["items"] == [{"scope": "class", "scope_id": school.class_id, "title": "Year 9", "students": 3}]
    owned = _get(school, school.course["author"], "/dashboards/me/teaching").json()["items"]
    assert {"scope": "course", "scope_id": school.course["course_id"], "title": "Intro to Testing", "students": 2} in owned
    assert _get(school, school.students[0], "/dashboards/me/teaching").json() == {"items": []}
    assert school.client.get(f"{API}/dashboards/me/teaching").status_code == 401


def test_activity_ends_on_the_day_asked(school):
    r = _get(school, school.students[0], "/dashboards/me/activity", days=3, until="2014-05-20")
    assert r.status_code == 200, r.text
    assert [d["day"] for d in r.json()["days"]] == ["2014-05-18", "2014-05-19", "2014-05-20"]
    assert all(d["completions"] == 0 and d["results"] == 0 for d in r.json()["days"])
    bad = _get(school, school.students[0], "/dashboards/me/activity", until="20 May")
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"


def test_activity_windows_are_bounded(school):
    for days in (0, 367, "a"):
        r = _get(school, school.students[0], "/dashboards/me/activity", days=days)
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    r = school.client.get(f"{API}/dashboards/me/activity")
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"


def _mastery_rows(infra, students) -> dict:
    with infra.pool.connection() as conn:
        rows = conn.execute("SELECT student_id, skill, probability, answers FROM learner.mastery"
                            " WHERE student_id = ANY(%s)", ([uuid.UUID(s.user_id) for s in students],)).fetchall()
    return {(str(r["student_id"]), r["skill"]): r for r in rows}


def test_a_class_mastery_per_skill_is_the_learner_read_model(learned_school, infra):
    school = learned_school
    r = _get(school, school.teacher, f"/dashboards/scopes/{school.class_id}/mastery")
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["scope"] == "class" and found["student_count"] == 3 and found["model_version"]
    assert [s["skill"] for s in found["skills"]] == ["arithmetic", "geography"]  # the quiz's (true/false names none)
    assert [s["display_name"] for s in found["students"]] == ["Ada Student", "Ben Student", "Cy Student"]
    rows = _mastery_rows(infra, school.students)
    skills = [s["skill"] for s in found["skills"]]
    assert found["values"] == [[rows[(p.user_id, k)]["probability"] for k in skills] for p in school.students]
    assert found["answers"] == [[1, 1]] * 3
    for summary in found["skills"]:
        mine = [rows[(p.user_id, summary["skill"])]["probability"] for p in school.students]
        assert summary["students_estimated"] == 3 and summary["mastered"] == 0  # one answer each: too few
        assert summary["mean"] == pytest.approx(sum(mine) / 3)
        assert summary["bands"] == [sum(1 for p in mine if min(int(p * 5), 4) == b) for b in range(5)]


def test_a_course_shows_its_skills_without_the_grid(learned_school):
    school = learned_school
    r = _get(school, school.course["author"], f"/dashboards/scopes/{school.course['course_id']}/mastery")
    assert r.status_code == 200, r.text
    assert r.json() | {"model_version": None, "position": 0} == {
        "scope": "course", "model_version": None, "position": 0, "student_count": 2, "skills": [],  # no quiz
        "students": None, "values": None, "answers": None}


def test_only_the_teacher_or_owner_reads_a_scopes_mastery(learned_school, make_person):
    school = learned_school
    path = f"/dashboards/scopes/{school.class_id}/mastery"
    assert _get(school, school.students[0], path).status_code == 403
    assert _get(school, make_person(Role.TEACHER), path).status_code == 404  # as every class route
    assert _get(school, school.students[0], f"/dashboards/scopes/{school.course['course_id']}/mastery").status_code == 403
    assert _get(school, school.teacher, f"/dashboards/scopes/{uuid.uuid4()}/mastery").status_code == 404
    assert school.client.get(f"{API}{path}").status_code == 401
    bad = _get(school, school.teacher, "/dashboards/scopes/not-a-scope/mastery")
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
