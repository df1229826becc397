"""A student's progress per course and their overview: what they rely on, and who may read it."""

from __future__ import annotations

from domain.identity import Role
from tests.api.analytics.conftest import get, post


def test_course_progress_counts_lessons_milestones_and_streak(client, learning):
    r = get(client, learning.student, f"/progress/students/{learning.student.user_id}/scopes/{learning.course['course_id']}",
            learning.position)
    assert r.status_code == 200, r.text
    p = r.json()
    assert (p["lessons_completed"], p["lessons_total"], p["percent_complete"]) == (2, 4, 50.0)
    assert p["scope"] == "course" and p["active"] is True
    assert p["milestones"]["first_lesson"] and p["milestones"]["halfway"]
    assert p["milestones"]["completed"] is None and p["milestones"]["certificate"] is None
    assert p["current_streak_days"] == 1 and p["longest_streak_days"] == 1
    assert p["last_activity_at"] is not None


def test_completing_every_lesson_records_the_completed_milestone(client, learning):
    course_id = learning.course["course_id"]
    for lesson_id in learning.course["lesson_ids"][2:]:
        position = post(client, learning.student, f"/courses/{course_id}/lessons/{lesson_id}/completion")
    p = get(client, learning.student, f"/progress/students/{learning.student.user_id}/scopes/{course_id}", position).json()
    assert p["percent_complete"] == 100.0 and p["milestones"]["completed"] is not None


def test_milestones_are_events_in_the_log(learning, infra):
    from tests.api.catalog.conftest import event_count

    assert event_count(infra, None, "Enrolment.MilestoneReached") >= 2


def test_overview_lists_every_course_with_due_work(client, learning, make_person):
    r = get(client, learning.student, f"/progress/students/{learning.student.user_id}", learning.position)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [s["scope_id"] for s in body["scopes"]] == [learning.course["course_id"]]
    assert body["due_next"] == [] and body["overdue"] == []


def test_who_may_read_a_students_progress(client, learning, make_person):
    student_id, course_id = learning.student.user_id, learning.course["course_id"]
    other, admin = make_person(), make_person(Role.ADMIN)
    assert get(client, other, f"/progress/students/{student_id}").status_code == 403
    assert get(client, None, f"/progress/students/{student_id}").status_code == 401
    assert get(client, admin, f"/progress/students/{student_id}", learning.position).status_code == 200
    # The course's owner sees their student's progress in their course, not the overview.
    assert get(client, learning.author, f"/progress/students/{student_id}/scopes/{course_id}",
               learning.position).status_code == 200
    assert get(client, learning.author, f"/progress/students/{student_id}").status_code == 403
    assert get(client, other, f"/progress/students/{student_id}/scopes/{course_id}").status_code == 403


def test_no_progress_in_a_scope_is_404_and_bad_ids_422(client, learning, make_person):
    student = learning.student
    assert get(client, student, f"/progress/students/{student.user_id}/scopes/{student.user_id}").status_code == 404
    r = get(client, student, "/progress/students/not-a-uuid")
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
