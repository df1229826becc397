"""Guessed and borrowed ids: a student of class B asking for class A's lesson or file under
either class's path learns nothing (404, nothing recorded); files of a lesson not due yet stay
hidden; a removed student loses progress reporting and file metadata with the next request."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.identity import Role
from tests import media_samples
from tests.api.catalog.conftest import event_count


def video_report(media_id: str, position: float = 10) -> dict:
    return {"media_id": media_id, "position_seconds": position, "duration_seconds": 60, "watched_share": 0.1}


@pytest.fixture
def two_classes(api, setup, make_person):
    """Class A (setup) with a published lesson showing a video and a PDF; class B with its own
    lesson and student."""
    video = api.upload(setup.teacher, media_samples.mp4(size=4321)).json()["media_id"]
    sheet = api.upload(setup.teacher, media_samples.pdf("class A only")).json()["media_id"]
    lesson_a, _ = api.add_lesson(setup.teacher, setup.class_id, media_ids=[video, sheet])
    teacher_b, student_b = make_person(Role.TEACHER), make_person()
    class_b = api.open_class(teacher_b)
    assert api.join(student_b, class_b["join_code"]).status_code == 200
    lesson_b, position = api.add_lesson(teacher_b, class_b["class_id"])
    return {"a": setup.class_id, "b": class_b["class_id"], "lesson_a": lesson_a, "lesson_b": lesson_b,
            "video": video, "sheet": sheet, "student_b": student_b, "position": position}


def test_a_student_of_class_b_learns_nothing_of_class_a(api, client, setup, two_classes, infra):
    ids, student = two_classes, two_classes["student_b"]
    before = event_count(infra, None, "LessonProgress.%")
    for class_id in (ids["a"], ids["b"]):  # under class A's path (not theirs) and under their own
        base = f"/classes/{class_id}/lessons/{ids['lesson_a']}"
        assert api.get(student, base, ids["position"]).status_code == 404
        r = client.post(f"/api/v1{base}/completion", headers=student.headers)
        assert r.status_code == 404, r.text
        r = client.post(f"/api/v1{base}/video-progress", headers=student.headers, json=video_report(ids["video"]))
        assert r.status_code == 404, r.text
    # Class A's file reported under their own lesson: not a file of that lesson.
    r = client.post(f"/api/v1/classes/{ids['b']}/lessons/{ids['lesson_b']}/video-progress", headers=student.headers,
                    json=video_report(ids["video"]))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "media_id"
    for media_id in (ids["video"], ids["sheet"]):
        assert api.get(student, f"/media/{media_id}").status_code == 404
        assert api.get(student, f"/media/{media_id}/content").status_code == 404
    assert api.get(student, f"/classes/{ids['a']}/progress").status_code == 404
    assert api.get(student, f"/classes/{ids['a']}/students/{setup.student.user_id}/progress").status_code == 404
    assert event_count(infra, None, "LessonProgress.%") == before
    # The same requests from class A's own student work: the 404s were about who asked.
    assert api.get(setup.student, f"/classes/{ids['a']}/lessons/{ids['lesson_a']}").status_code == 200
    assert api.get(setup.student, f"/media/{ids['sheet']}/content").status_code == 200


def test_files_of_a_scheduled_lesson_stay_hidden_until_it_is_due(api, app, client, setup, monkeypatch):
    sheet = api.upload(setup.teacher, media_samples.pdf("next week's sheet")).json()["media_id"]
    lesson_id, _ = api.add_lesson(setup.teacher, setup.class_id, publish=False, media_ids=[sheet])
    at = datetime.now(UTC) + timedelta(days=2)
    r = client.post(f"/api/v1/classes/{setup.class_id}/lessons/{lesson_id}/publication", headers=setup.teacher.headers,
                    json={"publish_at": at.isoformat()})
    position = r.json()["position"]
    for path in (f"/media/{sheet}", f"/media/{sheet}/content", f"/classes/{setup.class_id}/lessons/{lesson_id}"):
        assert api.get(setup.student, path, position).status_code == 404, path
    assert api.get(setup.teacher, f"/media/{sheet}/content", position).status_code == 200
    monkeypatch.setattr(app.state.deps, "clock", lambda: at + timedelta(seconds=1))
    assert api.get(setup.student, f"/media/{sheet}/content").status_code == 200


def test_a_removed_student_loses_progress_reporting_and_file_metadata(api, client, setup, infra):
    video = api.upload(setup.teacher, media_samples.mp4(size=4567)).json()["media_id"]
    lesson_id, position = api.add_lesson(setup.teacher, setup.class_id, media_ids=[video])
    url = f"/api/v1/classes/{setup.class_id}/lessons/{lesson_id}/video-progress"
    assert client.post(url, headers=setup.student.headers, json=video_report(video)).status_code == 200
    assert api.get(setup.student, f"/media/{video}", position).status_code == 200
    r = client.delete(f"/api/v1/classes/{setup.class_id}/students/{setup.student.user_id}", headers=setup.teacher.headers)
    assert r.status_code == 200
    before = event_count(infra, None, "LessonProgress.VideoWatched")
    assert client.post(url, headers=setup.student.headers, json=video_report(video, 30)).status_code == 404
    assert api.get(setup.student, f"/media/{video}").status_code == 404
    assert api.get(setup.student, f"/media/{video}/content").status_code == 404
    assert event_count(infra, None, "LessonProgress.VideoWatched") == before
    assert api.get(setup.student, f"/media/{uuid.uuid4()}").status_code == 404
