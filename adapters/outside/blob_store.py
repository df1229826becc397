"""Content-addressed blob storage: a blob's name is the sha256 of its bytes, so the same file
uploaded twice is stored once. A local folder by default; an S3-compatible bucket as an option.

Uploads arrive in a Spool (a temp file hashed while written), never whole in memory.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Protocol

from adapters.settings import Settings

CHUNK = 1024 * 1024


class Spool:
    """A temp file receiving an upload, with its running sha256, size and first bytes."""

    def __init__(self, directory: Path, head_size: int) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix="upload-")
        self.path, self._file = Path(name), os.fdopen(fd, "wb")
        self._hash, self._head_size = hashlib.sha256(), head_size
        self.size, self.head = 0, b""

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self._hash.update(data)
        self.size += len(data)
        if len(self.head) < self._head_size:
            self.head += data[: self._head_size - len(self.head)]

    @property
    def head_complete(self) -> bool:
        return len(self.head) >= self._head_size

    def finish(self) -> str:
        """Flush to disk and return the sha256 (hex) of everything written."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return self._hash.hexdigest()

    def discard(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.discard()  # after keep() the file has moved, so this only cleans up failures


class BlobStore(Protocol):
    def spool(self, head_size: int) -> Spool: ...

    def keep(self, sha256: str, spool: Spool) -> None:
        """Store a finished spool under its sha256, unless that blob is already there."""

    def read(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes start..end-1 of a blob, in chunks."""

    def stored_size(self, sha256: str) -> int | None:
        """The size of the stored blob; None when it is missing (asked before streaming it)."""

    def forget(self, sha256: str) -> None:
        """Remove a blob (an erased person's file); nothing if it is not there."""


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def spool(self, head_size: int) -> Spool:
        # Same file system as the blobs, so keeping one is an atomic rename.
        return Spool(self.root / "tmp", head_size)

    def keep(self, sha256: str, spool: Spool) -> None:
        target = self._path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(spool.path, target)

    def read(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        with open(self._path(sha256), "rb") as f:
            f.seek(start)
            remaining = end - start
            while remaining > 0:
                data = f.read(min(CHUNK, remaining))
                if not data:
                    raise OSError(f"blob {sha256} is shorter than expected")
                remaining -= len(data)
                yield data

    def stored_size(self, sha256: str) -> int | None:
        try:
            return self._path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def forget(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)


class S3BlobStore:
    """Any S3-compatible service; credentials come from boto3's usual sources (AWS_* variables)."""

    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None, spool_dir: Path) -> None:
        import boto3  # only processes configured for S3 pay for importing it

        self.client = boto3.client("s3", endpoint_url=endpoint_url)
        self.bucket, self.prefix, self.spool_dir = bucket, prefix, spool_dir

    def spool(self, head_size: int) -> Spool:
        return Spool(self.spool_dir, head_size)

    def keep(self, sha256: str, spool: Spool) -> None:
        if self.stored_size(sha256) is None:
            self.client.upload_file(str(spool.path), self.bucket, self.prefix + sha256)  # multipart for large files

    def read(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        if start >= end:
            return
        body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + sha256, Range=f"bytes={start}-{end - 1}")["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def stored_size(self, sha256: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=self.prefix + sha256)["ContentLength"])
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def forget(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + sha256)  # no error when missing


def open_blob_store(settings: Settings) -> BlobStore:
    local_root = settings.media_dir or settings.data_dir / "media"
    if settings.media_s3_bucket:
        return S3BlobStore(settings.media_s3_bucket, settings.media_s3_prefix, settings.media_s3_endpoint_url,
                           local_root / "tmp")
    return LocalBlobStore(local_root)
