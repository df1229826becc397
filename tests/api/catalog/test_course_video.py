"""Video progress on course lessons: enrolled students only, for the lesson's own playable file,
forward only, impossible values refused with nothing recorded; the progress read model shows it."""

from __future__ import annotations

import uuid

import pytest

from domain.identity import Role
from tests import media_samples
from tests.api.catalog.conftest import course_body, event_count


@pytest.fixture
def course(client, make_person, kit):
    """A published course: lesson 1 shows a video, lesson 2 a PDF, lesson 3 nothing."""
    author = make_person(Role.CREATOR)

    def upload(data: bytes) -> str:
        return client.post("/api/v1/media", content=data, headers=author.headers).json()["media_id"]

    video, sheet = upload(media_samples.mp4(size=5000)), upload(media_samples.pdf("handout"))
    body = course_body(lessons=3)
    for lesson, media_id in zip(body["modules"][0]["lessons"], (video, sheet, None)):
        lesson["media_id"] = media_id
    created = kit.create(author, **{k: v for k, v in body.items() if k != "title"})
    kit.publish(created)
    return {**created, "video": video, "sheet": sheet}


def report(client, course, who, position, *, lesson=0, media=None, duration=300.0, share=0.5):
    lesson_id = course["lesson_ids"][lesson] if isinstance(lesson, int) else lesson
    return client.post(f"/api/v1/courses/{course['course_id']}/lessons/{lesson_id}/video-progress", headers=who.headers,
                       json={"media_id": media or course["video"], "position_seconds": position,
                             "duration_seconds": duration, "watched_share": share})


def test_video_progress_moves_forward_and_shows_in_progress(client, make_person, course):
    student = make_person()
    client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers)
    r = report(client, course, student, 120, share=0.3)
    assert r.status_code == 200 and r.json()["recorded"] is True, r.text
    behind = report(client, course, student, 60, share=0.2)
    assert behind.json() == {"recorded": False, "position_seconds": 120, "watched_share": 0.3, "position": 0}
    r = report(client, course, student, 90, share=0.4)  # re-watched a part: the share grows, the point stays
    assert (r.json()["recorded"], r.json()["position_seconds"], r.json()["watched_share"]) == (True, 120, 0.4)
    row = client.get(f"/api/v1/courses/{course['course_id']}/progress/{student.user_id}", headers=student.headers,
                     params={"min_position": r.json()["position"]}).json()
    [video] = row["videos"]
    assert (video["lesson_id"], video["media_id"], video["position_seconds"], video["watched_share"]) == (
        course["lesson_ids"][0], course["video"], 120, 0.4)
    assert row["last_activity_at"] is not None


@pytest.mark.parametrize("position, duration, share, field", [
    (-1, 300, 0.1, "position_seconds"), (400, 300, 0.1, "position_seconds"), (10, 0, 0.1, "duration_seconds"),
    (10, 300, 1.5, "watched_share"), (10, 300, -0.1, "watched_share"),
])
def test_impossible_values_are_refused_and_record_nothing(client, make_person, course, infra, position, duration,
                                                          share, field):
    student = make_person()
    r = client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers)
    enrolment = r.json()["enrolment_id"]
    r = report(client, course, student, position, duration=duration, share=share)
    assert r.status_code == 422 and field in {e["field"].removeprefix("body.") for e in r.json()["errors"]}, r.text
    assert event_count(infra, enrolment, "Enrolment.VideoWatched") == 0


def test_only_the_lessons_own_playable_file(client, make_person, course, infra):
    student = make_person()
    enrolment = client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers).json()
    for lesson, media in ((1, course["sheet"]), (2, course["video"]), (0, course["sheet"]), (0, str(uuid.uuid4()))):
        r = report(client, course, student, 10, lesson=lesson, media=media)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "media_id", (lesson, r.text)
    assert report(client, course, student, 10, lesson=str(uuid.uuid4())).status_code == 404
    assert event_count(infra, enrolment["enrolment_id"], "Enrolment.VideoWatched") == 0


def test_only_enrolled_students_report(client, make_person, course, kit):
    student = make_person()
    assert client.post(f"/api/v1/courses/{course['course_id']}/lessons/{course['lesson_ids'][0]}/video-progress",
                       json={"media_id": course["video"], "position_seconds": 1, "duration_seconds": 2,
                             "watched_share": 0.1}).status_code == 401
    for who in (student, course["author"], kit.moderator):  # not enrolled: nothing to record progress on
        assert report(client, course, who, 10).status_code == 409
    client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers)
    assert report(client, course, student, 10).status_code == 200
    client.delete(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers)
    assert report(client, course, student, 20).status_code == 409  # left: no more reports
