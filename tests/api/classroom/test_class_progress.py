"""Learning activity: completion and video progress (forward only), and the progress read model."""

from __future__ import annotations

import uuid

import pytest

from commands.loading import find
from domain.class_progress import LessonProgress, progress_id
from domain.identity import Role
from tests import media_samples


@pytest.fixture
def lessons(api, setup):
    """Three published lessons, the first with a video and a PDF; a draft last."""
    video = api.upload(setup.teacher, media_samples.mp4(size=5000)).json()["media_id"]
    sheet = api.upload(setup.teacher, media_samples.pdf("sheet")).json()["media_id"]
    ids = [api.add_lesson(setup.teacher, setup.class_id, title="Watch", media_ids=[video, sheet])[0]]
    ids += [api.add_lesson(setup.teacher, setup.class_id, title=t)[0] for t in ("Read", "Practise")]
    draft, _ = api.add_lesson(setup.teacher, setup.class_id, title="Draft", publish=False)
    return ids + [draft], video, sheet


def complete(client, setup, person, lesson_id):
    return client.post(f"/api/v1/classes/{setup.class_id}/lessons/{lesson_id}/completion", headers=person.headers)


def report(client, setup, person, lesson_id, media_id, position, duration=600.0, share=0.5):
    return client.post(f"/api/v1/classes/{setup.class_id}/lessons/{lesson_id}/video-progress", headers=person.headers,
                       json={"media_id": media_id, "position_seconds": position, "duration_seconds": duration,
                             "watched_share": share})


def summary(api, setup, person, position=0):
    r = api.get(person, f"/classes/{setup.class_id}/progress", position)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_completion_counts_against_published_lessons(api, client, setup, lessons):
    ids, _, _ = lessons
    r = complete(client, setup, setup.student, ids[0])
    assert r.status_code == 200 and r.json()["recorded"] is True
    [row] = summary(api, setup, setup.teacher, r.json()["position"])
    assert (row["student_id"], row["completed_lessons"], row["total_lessons"]) == (setup.student.user_id, 1, 3)
    assert row["percent_complete"] == 33.3 and row["last_activity_at"] is not None
    again = complete(client, setup, setup.student, ids[0])
    assert again.status_code == 200 and again.json() == {"recorded": False, "position": 0}
    r = client.delete(f"/api/v1/classes/{setup.class_id}/lessons/{ids[0]}/publication", headers=setup.teacher.headers)
    [row] = summary(api, setup, setup.student, r.json()["position"])
    assert (row["completed_lessons"], row["total_lessons"], row["percent_complete"]) == (0, 2, 0.0)


def test_only_students_who_can_see_the_lesson_record_progress(api, client, setup, lessons, make_person):
    ids, video, _ = lessons
    draft = ids[3]
    outsider = make_person()
    assert complete(client, setup, setup.teacher, ids[0]).status_code == 403
    assert complete(client, setup, outsider, ids[0]).status_code == 404
    assert complete(client, setup, setup.student, draft).status_code == 404
    assert report(client, setup, outsider, ids[0], video, 10).status_code == 404
    assert report(client, setup, setup.teacher, ids[0], video, 10).status_code == 403
    [row] = summary(api, setup, setup.teacher)
    assert row["completed_lessons"] == 0 and row["last_activity_at"] is None


def test_video_progress_only_moves_forward(api, client, setup, lessons):
    ids, video, _ = lessons
    r = report(client, setup, setup.student, ids[0], video, 120, share=0.2)
    assert r.status_code == 200 and r.json()["recorded"] is True
    behind = report(client, setup, setup.student, ids[0], video, 60, share=0.1)
    assert behind.json() == {"recorded": False, "position_seconds": 120, "watched_share": 0.2, "position": 0}
    further = report(client, setup, setup.student, ids[0], video, 90, share=0.3)  # re-watched: share grows
    assert further.json()["recorded"] is True and further.json()["position_seconds"] == 120
    detail = api.get(setup.student, f"/classes/{setup.class_id}/students/{setup.student.user_id}/progress",
                     further.json()["position"]).json()
    assert [l["title"] for l in detail] == ["Watch", "Read", "Practise"]
    [v] = detail[0]["videos"]
    assert (v["media_id"], v["position_seconds"], v["watched_share"]) == (video, 120, 0.3)
    assert detail[0]["completed_at"] is None and detail[0]["last_activity_at"] is not None


IMPOSSIBLE = [(-1, 600, 0.1, "position_seconds"), (700, 600, 0.1, "position_seconds"),
              (10, 0, 0.1, "duration_seconds"), (10, 600, 1.5, "watched_share"), (10, 600, -0.1, "watched_share")]


def test_impossible_progress_values_are_rejected(app, client, setup, lessons):
    ids, video, _ = lessons
    for position, duration, share, field in IMPOSSIBLE:
        r = report(client, setup, setup.student, ids[0], video, position, duration, share)
        assert r.status_code == 422, r.text
        assert field in {e["field"].removeprefix("body.") for e in r.json()["errors"]}
    progress = progress_id(uuid.UUID(setup.student.user_id), uuid.UUID(ids[0]))
    assert find(app.state.deps, LessonProgress, progress) is None  # nothing was recorded


def test_non_numbers_and_wrong_media_are_rejected(client, setup, lessons):
    ids, video, sheet = lessons
    url = f"/api/v1/classes/{setup.class_id}/lessons/{ids[0]}/video-progress"
    bad = {"media_id": video, "position_seconds": "far", "duration_seconds": 10, "watched_share": 0.1}
    assert client.post(url, headers=setup.student.headers, json=bad).status_code == 422
    nan = b'{"media_id": "%s", "position_seconds": NaN, "duration_seconds": 10, "watched_share": 0.1}' % video.encode()
    r = client.post(url, headers={**setup.student.headers, "Content-Type": "application/json"}, content=nan)
    assert r.status_code in (400, 422), r.text
    assert report(client, setup, setup.student, ids[0], sheet, 10).status_code == 422  # a PDF is not playable
    assert report(client, setup, setup.student, ids[1], video, 10).status_code == 422  # not in that lesson


def test_who_sees_which_progress(api, client, setup, lessons, make_person):
    ids, _, _ = lessons
    classmate = make_person()
    assert api.join(classmate, setup.code).status_code == 200
    r = complete(client, setup, classmate, ids[1])
    rows = summary(api, setup, setup.teacher, r.json()["position"])
    assert {(x["student_id"], x["completed_lessons"]) for x in rows} == {
        (setup.student.user_id, 0), (classmate.user_id, 1)}
    assert [x["student_id"] for x in summary(api, setup, setup.student)] == [setup.student.user_id]
    base = f"/classes/{setup.class_id}/students"
    assert api.get(setup.student, f"{base}/{classmate.user_id}/progress").status_code == 403
    assert api.get(setup.teacher, f"{base}/{classmate.user_id}/progress").status_code == 200
    outsider, other_teacher = make_person(), make_person(Role.TEACHER)
    for person in (outsider, other_teacher):
        assert api.get(person, f"/classes/{setup.class_id}/progress").status_code == 404
        assert api.get(person, f"{base}/{classmate.user_id}/progress").status_code == 404


def test_scheduled_lessons_count_once_due(api, client, app, setup, lessons, monkeypatch):
    from datetime import UTC, datetime, timedelta

    lesson_id, _ = api.add_lesson(setup.teacher, setup.class_id, title="Next week", publish=False)
    at = datetime.now(UTC) + timedelta(days=7)
    r = client.post(f"/api/v1/classes/{setup.class_id}/lessons/{lesson_id}/publication", headers=setup.teacher.headers,
                    json={"publish_at": at.isoformat()})
    assert summary(api, setup, setup.teacher, r.json()["position"])[0]["total_lessons"] == 3
    monkeypatch.setattr(app.state.deps, "clock", lambda: at + timedelta(seconds=1))
    assert summary(api, setup, setup.teacher)[0]["total_lessons"] == 4
