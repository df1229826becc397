"""Files of course lessons: only uploads the author may read can be attached, and a file is
readable by whoever may open the published lesson showing it (reviewers: the revision in review)."""

from __future__ import annotations

import json
import uuid

import pytest

from commands.loading import find
from domain.catalog import Course
from domain.identity import Role
from tests import media_samples
from tests.api.catalog.conftest import course_body, event_count


def upload(client, who, data: bytes) -> str:
    r = client.post("/api/v1/media", content=data, headers={**who.headers, "Content-Type": "application/octet-stream"})
    assert r.status_code in (200, 201), r.text
    return r.json()["media_id"]


def with_media(media_id: str | None, lessons: int = 2) -> dict:
    body = course_body(lessons=lessons)
    body["modules"][0]["lessons"][0]["media_id"] = media_id
    return body


def status(client, who, media_id, position=0) -> tuple[int, int]:
    """(download, metadata) status codes."""
    params = {"min_position": position}
    content = client.get(f"/api/v1/media/{media_id}/content", headers=who.headers, params=params)
    info = client.get(f"/api/v1/media/{media_id}", headers=who.headers, params=params)
    return content.status_code, info.status_code


@pytest.fixture
def video_course(client, make_person, kit):
    """A published course whose first lesson shows a video its author uploaded."""
    author = make_person(Role.CREATOR)
    video = upload(client, author, media_samples.mp4(size=6000))
    course = kit.create(author, **{k: v for k, v in with_media(video).items() if k != "title"})
    kit.publish(course)
    return course, video


@pytest.mark.parametrize("whose", ["unknown", "another-creator", "not-a-uuid"])
def test_only_files_the_author_may_read_are_attached(client, make_person, kit, infra, whose):
    author = make_person(Role.CREATOR)
    media_id = {"unknown": lambda: str(uuid.uuid4()),
                "another-creator": lambda: upload(client, make_person(Role.CREATOR), media_samples.png(seed=61)),
                "not-a-uuid": lambda: "intro-video"}[whose]()
    before = event_count(infra, None, "Course.%")
    r = client.post("/api/v1/courses", json=with_media(media_id), headers=author.headers)
    assert r.status_code == 422, r.text
    field = "modules.0.lessons.0.media_id"
    assert [e["field"] for e in r.json()["errors"]] == [("body." + field) if whose == "not-a-uuid" else field]
    assert event_count(infra, None, "Course.%") == before
    # The same on a syllabus edit of a course the author owns.
    course = kit.create(author)
    before = event_count(infra, course["course_id"])
    r = client.put(f"/api/v1/courses/{course['course_id']}/syllabus", json={"modules": with_media(media_id)["modules"]},
                   headers=author.headers)
    assert r.status_code == 422, r.text
    assert event_count(infra, course["course_id"]) == before


def test_own_uploads_are_attached_and_shown_with_the_lesson(client, make_person, kit, video_course):
    course, video = video_course
    student = make_person()
    r = client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers)
    lesson = client.get(f"/api/v1/courses/{course['course_id']}/lessons/{course['lesson_ids'][0]}",
                        headers=student.headers, params={"min_position": r.json()["position"]}).json()
    assert lesson["media_id"] == video
    assert (lesson["media"]["kind"], lesson["media"]["url"]) == ("video", f"/api/v1/media/{video}/content")
    other = client.get(f"/api/v1/courses/{course['course_id']}/lessons/{course['lesson_ids'][1]}",
                       headers=student.headers).json()
    assert other["media"] is None


def test_who_may_read_a_course_lessons_file(client, make_person, kit, video_course):
    course, video = video_course
    enrolled, assigned, outsider = make_person(), make_person(), make_person()
    other_creator, admin = make_person(Role.CREATOR), make_person(Role.ADMIN)
    position = client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=enrolled.headers).json()["position"]
    r = client.post(f"/api/v1/courses/{course['course_id']}/assignments", json={"student_ids": [assigned.user_id]},
                    headers=admin.headers)
    assert r.status_code == 200, r.text
    position = max(position, r.json()["position"])
    for who in (enrolled, assigned, course["author"], kit.moderator, admin):
        assert status(client, who, video, position) == (200, 200), who.email
    for who in (outsider, other_creator, make_person(Role.TEACHER)):
        assert status(client, who, video, position) == (404, 404), who.email
    assert status(client, enrolled, uuid.uuid4()) == (404, 404)  # a guessed id looks like any unknown one
    assert client.get(f"/api/v1/media/{video}/content").status_code == 401
    # Leaving the course takes the file away with the very next request.
    r = client.delete(f"/api/v1/courses/{course['course_id']}/enrolment", headers=enrolled.headers)
    assert r.status_code == 200
    assert status(client, enrolled, video) == (404, 404)
    lesson = f"/api/v1/courses/{course['course_id']}/lessons/{course['lesson_ids'][0]}"
    assert client.get(lesson, headers=enrolled.headers).status_code == 403


def test_a_file_new_in_a_revision_is_for_reviewers_until_published(client, make_person, kit, video_course):
    course, video = video_course
    author, student = course["author"], make_person()
    client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers)
    sheet = upload(client, author, media_samples.pdf("revision 2 worksheet"))
    modules = with_media(video)["modules"]
    modules[0]["lessons"][1]["media_id"] = sheet
    for m, module in enumerate(modules):  # keep the published lesson ids
        for n, lesson in enumerate(module["lessons"]):
            lesson["lesson_id"] = course["lesson_ids"][n]
    r = client.put(f"/api/v1/courses/{course['course_id']}/syllabus", json={"modules": modules}, headers=author.headers)
    assert r.status_code == 200, r.text
    assert status(client, kit.moderator, sheet, r.json()["position"]) == (404, 404)  # a draft, not in review yet
    r = client.post(f"/api/v1/courses/{course['course_id']}/submission", headers=author.headers)
    assert status(client, kit.moderator, sheet, r.json()["position"]) == (200, 200)
    assert status(client, student, sheet) == (404, 404)
    assert status(client, student, video) == (200, 200)  # the published revision still shows it
    r = client.post(f"/api/v1/courses/{course['course_id']}/review", json={"approve": True}, headers=kit.moderator.headers)
    assert r.status_code == 200, r.text
    assert status(client, student, sheet, r.json()["position"]) == (200, 200)


def test_stored_version_1_references_are_not_honoured(app, make_person, kit, infra):
    """A version 1 event held any string as media_id; it decodes with the reference dropped."""
    course = kit.create(make_person(Role.CREATOR))
    with infra.pool.connection() as conn:
        row = conn.execute("SELECT notification_id, state FROM skillhub_events WHERE originator_id = %s"
                           " AND originator_version = 1", (uuid.UUID(course["course_id"]),)).fetchone()
        state = json.loads(bytes(row["state"]))
        assert state.pop("class_version") == 2
        state["modules"][0]["lessons"][0]["media_id"] = "intro-video"
        conn.execute("UPDATE skillhub_events SET state = %s WHERE notification_id = %s",
                     (json.dumps(state).encode(), row["notification_id"]))
    loaded = find(app.state.deps, Course, uuid.UUID(course["course_id"]))
    assert [lesson["media_id"] for lesson in loaded.draft["modules"][0]["lessons"]] == [None, None]
