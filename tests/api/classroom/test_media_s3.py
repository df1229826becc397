"""The media API on the S3 blob store (a local S3-compatible server): upload, dedup, Range."""

from __future__ import annotations

import hashlib

import pytest

from adapters.outside.blob_store import S3BlobStore
from domain.identity import Role
from tests import media_samples
from tests.s3_server import s3_endpoint, use_test_credentials  # noqa: F401 - s3_endpoint is a fixture

BUCKET = "skillhub-api-media"


@pytest.fixture
def s3_store(app, s3_endpoint, tmp_path, monkeypatch) -> S3BlobStore:  # noqa: F811
    use_test_credentials(monkeypatch)
    store = S3BlobStore(BUCKET, "blobs/", s3_endpoint, tmp_path / "spool")
    store.client.create_bucket(Bucket=BUCKET)
    monkeypatch.setattr(app.state.deps, "blobs", store)
    return store


def test_upload_and_ranged_download_through_s3(api, make_person, s3_store):
    teacher, other = make_person(Role.TEACHER), make_person(Role.CREATOR)
    data = media_samples.mp4(size=2 * 1024 * 1024 + 3)
    first = api.upload(teacher, data)
    second = api.upload(other, data)
    assert (first.status_code, second.status_code) == (201, 201), first.text
    sha = hashlib.sha256(data).hexdigest()
    keys = [o["Key"] for o in s3_store.client.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"blobs/{sha}"]
    url = f"/api/v1/media/{first.json()['media_id']}/content"
    r = api.client.get(url, headers={**teacher.headers, "Range": "bytes=1048570-1048589"})
    assert r.status_code == 206 and r.content == data[1048570:1048590]
    assert api.client.get(url, headers=teacher.headers).content == data
    # An object deleted behind the API's back: a problem+json answer, not a cut-off body.
    s3_store.client.delete_object(Bucket=BUCKET, Key=f"blobs/{sha}")
    r = api.client.get(url, headers=teacher.headers)
    assert r.status_code == 500 and r.json()["title"] == "Storage error"
