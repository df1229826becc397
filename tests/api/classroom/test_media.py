"""Media: streamed uploads typed from their bytes, size limits, dedup, Range/ETag downloads,
and who may download (uploader, or whoever may open a lesson showing the file)."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import pytest

from domain.identity import Role
from tests import media_samples


def media_files(app) -> list[Path]:
    root = app.state.deps.settings.data_dir / "media"
    return [p for p in root.rglob("*") if p.is_file() and p.relative_to(root).parts[0] != "tmp"]


def uploads_of(api, person, position=0) -> list[dict]:
    r = api.get(person, "/media", position)
    assert r.status_code == 200, r.text
    return r.json()["items"]


@pytest.mark.parametrize(("make", "kind", "mime"), [
    (media_samples.png, "image", "image/png"),
    (media_samples.pdf, "pdf", "application/pdf"),
    (media_samples.mp4, "video", "video/mp4"),
    (media_samples.mp3, "audio", "audio/mpeg"),
    (media_samples.docx, "document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_upload_types_come_from_the_bytes(api, make_person, make, kind, mime):
    teacher = make_person(Role.TEACHER)
    data = make()
    r = api.upload(teacher, data, filename="misleading.txt", **{"Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["kind"], body["content_type"], body["size"]) == (kind, mime, len(data))
    assert body["sha256"] == hashlib.sha256(data).hexdigest() and body["already_uploaded"] is False
    [listed] = uploads_of(api, teacher, body["position"])
    assert listed["filename"] == "misleading.txt" and listed["media_id"] == body["media_id"]


@pytest.mark.parametrize("data", [media_samples.zip_archive(), media_samples.elf(), b"plain text pretending.pdf",
                                  b"%PD"], ids=["zip", "elf", "text", "short"])
def test_unsupported_or_unknown_types_are_rejected_and_leave_nothing(api, app, make_person, data):
    teacher = make_person(Role.TEACHER)
    before = media_files(app)
    r = api.upload(teacher, data, filename="lecture.pdf")
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "file"
    assert uploads_of(api, teacher, api.head()) == [] and media_files(app) == before
    assert list((app.state.deps.settings.data_dir / "media" / "tmp").glob("upload-*")) == []


def test_empty_upload_is_rejected(api, make_person):
    r = api.upload(make_person(Role.TEACHER), b"")
    assert r.status_code == 422 and "empty" in r.json()["detail"]


@pytest.mark.parametrize("role", [None, Role.MODERATOR, Role.AUDITOR])
def test_only_teachers_creators_and_admins_upload(api, client, make_person, role):
    person = make_person(*([role] if role else []))
    assert api.upload(person, media_samples.png()).status_code == 403
    assert client.post("/api/v1/media", content=media_samples.png()).status_code == 401
    assert uploads_of(api, person, api.head()) == []


@pytest.mark.parametrize("role", [Role.CREATOR, Role.ADMIN])
def test_creators_and_admins_upload(api, make_person, role):
    assert api.upload(make_person(role), media_samples.png(seed=7)).status_code == 201


def test_size_limit_per_type_gives_413(api, app, make_person, monkeypatch):
    monkeypatch.setattr(app.state.deps.settings, "media_max_bytes_image", 200)
    teacher = make_person(Role.TEACHER)
    big_png = media_samples.png(width=40, height=40)
    assert len(big_png) > 200
    before = media_files(app)
    r = api.upload(teacher, big_png)
    assert r.status_code == 413, r.text
    assert r.headers["content-type"] == "application/problem+json" and "200" in r.json()["detail"]
    # The limit is per type: a PDF of the same size is fine.
    r = api.upload(teacher, media_samples.pdf("x" * 300))
    assert r.status_code == 201
    assert [m["kind"] for m in uploads_of(api, teacher, r.json()["position"])] == ["pdf"]
    assert len(media_files(app)) == len(before) + 1


def test_size_limit_holds_without_content_length(api, app, make_person, monkeypatch):
    """A chunked upload declares no length: the bytes are counted as they arrive."""
    monkeypatch.setattr(app.state.deps.settings, "media_max_bytes_video", 50_000)
    teacher = make_person(Role.TEACHER)
    data = media_samples.mp4(size=200_000)
    before = media_files(app)

    def chunks():
        for i in range(0, len(data), 10_000):
            yield data[i:i + 10_000]

    r = api.client.post("/api/v1/media", content=chunks(), headers=teacher.headers)
    assert "content-length" not in r.request.headers
    assert r.status_code == 413, r.text
    assert uploads_of(api, teacher, api.head()) == [] and media_files(app) == before
    small = media_samples.mp4(size=40_000)
    r = api.client.post("/api/v1/media", content=iter([small[:20_000], small[20_000:]]), headers=teacher.headers)
    assert r.status_code == 201, r.text


def test_declared_length_over_every_limit_is_refused_before_reading(api, app, make_person, monkeypatch):
    for kind in ("video", "audio", "pdf", "image", "document"):
        monkeypatch.setattr(app.state.deps.settings, f"media_max_bytes_{kind}", 100)
    r = api.upload(make_person(Role.TEACHER), media_samples.mp4(size=5000))
    assert r.status_code == 413, r.text


def test_same_bytes_are_stored_once(api, app, make_person):
    a, b = make_person(Role.TEACHER), make_person(Role.TEACHER)
    data = media_samples.png(seed=99)
    before = len(media_files(app))
    first = api.upload(a, data, filename="one.png")
    again = api.upload(a, data, filename="renamed.png")
    other = api.upload(b, data, filename="theirs.png")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["media_id"] == first.json()["media_id"] and again.json()["already_uploaded"] is True
    assert other.json()["media_id"] != first.json()["media_id"]
    assert len(media_files(app)) == before + 1
    assert [m["filename"] for m in uploads_of(api, a, other.json()["position"])] == ["one.png"]


def test_large_upload_round_trips(api, make_person):
    teacher = make_person(Role.TEACHER)
    data = media_samples.mp4(size=3 * 1024 * 1024 + 17)
    r = api.upload(teacher, data)
    assert r.status_code == 201, r.text
    got = api.client.get(f"/api/v1/media/{r.json()['media_id']}/content", headers=teacher.headers)
    assert got.status_code == 200 and got.content == data


@pytest.fixture
def video(api, make_person):
    teacher = make_person(Role.TEACHER)
    data = media_samples.mp4(size=10_000)
    r = api.upload(teacher, data)
    assert r.status_code == 201
    return teacher, r.json()["media_id"], data


def test_range_requests(api, video):
    teacher, media_id, data = video
    url = f"/api/v1/media/{media_id}/content"
    h = teacher.headers
    full = api.client.get(url, headers=h)
    assert full.status_code == 200 and full.content == data
    assert full.headers["accept-ranges"] == "bytes" and full.headers["content-type"] == "video/mp4"
    cases = {"bytes=0-99": (0, 100), "bytes=9990-": (9990, 10_000), "bytes=-10": (9990, 10_000),
             "bytes=9995-20000": (9995, 10_000), "bytes=100-100": (100, 101)}
    for header, (start, end) in cases.items():
        r = api.client.get(url, headers={**h, "Range": header})
        assert r.status_code == 206, (header, r.text)
        assert r.content == data[start:end]
        assert r.headers["content-range"] == f"bytes {start}-{end - 1}/10000"
        assert r.headers["content-length"] == str(end - start)
    for header in ("bytes=10000-", "bytes=20000-20010", "bytes=-0", "bytes=0-1,5-6"):
        r = api.client.get(url, headers={**h, "Range": header})
        assert r.status_code == 416, header
        assert r.headers["content-range"] == "bytes */10000"
    for ignored in ("items=0-1", "bytes=5-1", "bytes=abc"):
        r = api.client.get(url, headers={**h, "Range": ignored})
        assert r.status_code == 200 and r.content == data, ignored


def test_etag_and_conditional_requests(api, video):
    teacher, media_id, data = video
    url = f"/api/v1/media/{media_id}/content"
    etag = f'"{hashlib.sha256(data).hexdigest()}"'
    r = api.client.get(url, headers=teacher.headers)
    assert r.headers["etag"] == etag and "no-cache" in r.headers["cache-control"]
    for match in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        r = api.client.get(url, headers={**teacher.headers, "If-None-Match": match})
        assert r.status_code == 304 and r.content == b"", match
    assert api.client.get(url, headers={**teacher.headers, "If-None-Match": '"other"'}).status_code == 200
    r = api.client.get(url, headers={**teacher.headers, "Range": "bytes=0-9", "If-Range": etag})
    assert r.status_code == 206 and r.content == data[:10]
    r = api.client.get(url, headers={**teacher.headers, "Range": "bytes=0-9", "If-Range": '"stale"'})
    assert r.status_code == 200 and r.content == data


def test_head_tells_size_without_body(api, video):
    teacher, media_id, data = video
    r = api.client.head(f"/api/v1/media/{media_id}/content", headers=teacher.headers)
    assert r.status_code == 200 and r.content == b"" and r.headers["content-length"] == str(len(data))
    r = api.client.head(f"/api/v1/media/{media_id}/content", headers={**teacher.headers, "Range": "bytes=0-9"})
    assert r.status_code == 206 and r.headers["content-length"] == "10"


def test_download_matrix(api, client, setup, make_person):
    """Uploader yes; class teacher and students once attached to a lesson they can open; nobody else."""
    data = media_samples.pdf("worksheet")
    up = api.upload(setup.teacher, data, filename="worksheet-private-name.pdf").json()
    media_id = up["media_id"]
    content, info = f"/media/{media_id}/content", f"/media/{media_id}"
    outsider, other_teacher, admin = make_person(), make_person(Role.TEACHER), make_person(Role.ADMIN)

    def status(person, path, position=0) -> int:
        return api.get(person, path, position).status_code

    assert status(setup.teacher, content) == 200
    for person in (setup.student, outsider, other_teacher, admin):
        assert status(person, content) == 404 and status(person, info) == 404
    draft, position = api.add_lesson(setup.teacher, setup.class_id, publish=False, media_ids=[media_id])
    assert status(setup.student, content, position) == 404  # the lesson is still a draft
    r = client.post(f"/api/v1/classes/{setup.class_id}/lessons/{draft}/publication", headers=setup.teacher.headers)
    position = r.json()["position"]
    assert status(setup.student, content, position) == 200
    assert api.get(setup.student, content).content == data
    student_info = api.get(setup.student, info).json()
    assert "filename" not in student_info and student_info["kind"] == "pdf"
    assert api.get(setup.teacher, info).json()["filename"] == "worksheet-private-name.pdf"
    lesson = api.get(setup.student, f"/classes/{setup.class_id}/lessons/{draft}", position).json()
    assert [m["media_id"] for m in lesson["media"]] == [media_id]
    for person in (outsider, other_teacher, admin):
        assert status(person, content) == 404
    assert status(setup.student, f"/media/{uuid.uuid4()}/content") == 404
    assert api.client.get(f"/api/v1{content}").status_code == 401


def test_removal_and_detaching_revoke_downloads_at_once(api, client, setup, make_person):
    media_id = api.upload(setup.teacher, media_samples.png(seed=3)).json()["media_id"]
    stays = make_person()
    assert api.join(stays, setup.code).status_code == 200
    lesson_id, position = api.add_lesson(setup.teacher, setup.class_id, media_ids=[media_id])
    content = f"/media/{media_id}/content"
    assert api.get(setup.student, content, position).status_code == 200
    r = client.delete(f"/api/v1/classes/{setup.class_id}/students/{setup.student.user_id}", headers=setup.teacher.headers)
    assert r.status_code == 200
    assert api.get(setup.student, content).status_code == 404  # the very next request, no min_position
    assert api.get(stays, content).status_code == 200
    r = client.patch(f"/api/v1/classes/{setup.class_id}/lessons/{lesson_id}", headers=setup.teacher.headers,
                     json={"media_ids": []})
    assert r.status_code == 200
    assert api.get(stays, content).status_code == 404  # even before the read model drops the link


def test_a_teacher_cannot_attach_someone_elses_media(api, client, setup, make_person):
    stranger = make_person(Role.TEACHER)
    theirs = api.upload(stranger, media_samples.png(seed=42)).json()["media_id"]
    r = client.post(f"/api/v1/classes/{setup.class_id}/lessons", headers=setup.teacher.headers,
                    json={"title": "Stolen", "media_ids": [theirs]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "media_ids"
    assert api.get(setup.teacher, f"/media/{theirs}/content").status_code == 404


def test_idempotency_key_on_uploads_is_not_buffered_and_dedup_still_holds(api, make_person):
    teacher = make_person(Role.TEACHER)
    data = media_samples.png(seed=11)
    first = api.upload(teacher, data, **{"Idempotency-Key": "k1"})
    again = api.upload(teacher, data, **{"Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["media_id"] == again.json()["media_id"]


def test_original_file_name_is_sealed_in_the_log(api, app, make_person):
    teacher = make_person(Role.TEACHER)
    r = api.upload(teacher, media_samples.png(seed=123), filename="Report on Jane Roe.png")
    assert r.status_code == 201
    with app.state.deps.pool.connection() as conn:
        [row] = conn.execute("SELECT state FROM skillhub_events WHERE originator_id = %s",
                             (uuid.UUID(r.json()["media_id"]),)).fetchall()
    assert b"Jane Roe" not in bytes(row["state"])
    assert uploads_of(api, teacher, r.json()["position"])[0]["filename"] == "Report on Jane Roe.png"


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_a_blob_gone_from_storage_is_a_logged_problem_not_a_broken_body(api, app, make_person, caplog, damage):
    teacher, data = make_person(Role.TEACHER), media_samples.mp4(size=7000 + len(damage))  # bytes of its own
    media_id = api.upload(teacher, data).json()["media_id"]
    blob = next(p for p in media_files(app) if p.name == hashlib.sha256(data).hexdigest())
    if damage == "missing":
        blob.unlink()
    else:
        blob.write_bytes(data[:100])
    url = f"/api/v1/media/{media_id}/content"
    for method in ("GET", "HEAD"):
        r = api.client.request(method, url, headers={**teacher.headers, "Range": "bytes=0-99"})
        assert r.status_code == 500
        assert r.headers["content-type"] == "application/problem+json"
    body = api.client.get(url, headers=teacher.headers).json()
    assert body["title"] == "Storage error" and "Traceback" not in json.dumps(body)
    assert any(media_id in rec.getMessage() and rec.levelname == "ERROR" for rec in caplog.records)
