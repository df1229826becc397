"""The blob stores behind one interface: the local folder, and S3 against a local
S3-compatible server (moto's, on a loopback port)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from adapters.outside.blob_store import BlobStore, LocalBlobStore, S3BlobStore
from tests.s3_server import s3_endpoint, use_test_credentials  # noqa: F401 - s3_endpoint is a fixture

BUCKET = "skillhub-test-media"


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path: Path, monkeypatch) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "media")
    use_test_credentials(monkeypatch)
    s3 = S3BlobStore(BUCKET, "blobs/", request.getfixturevalue("s3_endpoint"), tmp_path / "spool")
    s3.client.create_bucket(Bucket=BUCKET)
    return s3


def spooled(store: BlobStore, data: bytes) -> tuple[str, object]:
    spool = store.spool(head_size=16)
    for i in range(0, len(data), 1000):
        spool.write(data[i:i + 1000])
    return spool.finish(), spool


def test_keep_and_read_ranges(store: BlobStore):
    data = bytes(i % 253 for i in range(3 * 1024 * 1024 + 5))
    sha, spool = spooled(store, data)
    assert sha == hashlib.sha256(data).hexdigest() and spool.head == data[:16] and spool.size == len(data)
    with spool:
        store.keep(sha, spool)
    assert b"".join(store.read(sha, 0, len(data))) == data
    assert b"".join(store.read(sha, 1_048_570, 1_048_590)) == data[1_048_570:1_048_590]
    assert b"".join(store.read(sha, len(data) - 1, len(data))) == data[-1:]
    assert not spool.path.exists()


def test_same_content_is_kept_once(store: BlobStore):
    data = b"same bytes" * 100
    first_sha, first = spooled(store, data)
    with first:
        store.keep(first_sha, first)
    second_sha, second = spooled(store, data)
    with second:
        store.keep(second_sha, second)
    assert first_sha == second_sha and not second.path.exists()
    assert b"".join(store.read(first_sha, 0, len(data))) == data
    if isinstance(store, LocalBlobStore):
        assert len([p for p in store.root.rglob("*") if p.is_file()]) == 1
    else:
        listed = store.client.list_objects_v2(Bucket=BUCKET, Prefix="blobs/")
        assert [o["Key"] for o in listed.get("Contents", [])].count(f"blobs/{first_sha}") == 1


def test_a_failed_upload_leaves_no_spool(store: BlobStore):
    with pytest.raises(RuntimeError):
        with store.spool(head_size=16) as spool:
            spool.write(b"partial")
            raise RuntimeError("client went away")
    assert not spool.path.exists()
