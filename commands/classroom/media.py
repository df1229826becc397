"""Uploads: bytes are received into a spool (type and size checked while they arrive), then
kept in the blob store under their sha256 and recorded as a Media.Uploaded event. Files that
arrive inside another file (a question import's embedded images) are checked by the same rules
(`checked_type`) and kept from bytes (`keep_bytes`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PureWindowsPath
from uuid import UUID

from adapters.events.event_store import ConcurrentChange
from adapters.outside.blob_store import BlobStore, Spool
from adapters.settings import Settings
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_role
from domain.errors import InvalidInput, TooLarge
from domain.identity import Role
from domain.media import SNIFF_BYTES, Media, MediaKind, MediaType, media_id_for, sniff

UPLOADERS = (Role.TEACHER, Role.CREATOR, Role.ADMIN)


def require_uploader(actor: Actor) -> UUID:
    return require_role(actor, UPLOADERS)


def blob_store(deps: Deps) -> BlobStore:
    if deps.blobs is None:
        raise RuntimeError("this process was started without a blob store")
    return deps.blobs


def size_limit(settings: Settings, kind: MediaKind) -> int:
    return int(getattr(settings, f"media_max_bytes_{kind.value}"))


def _too_large(limit: int, what: str) -> TooLarge:
    return TooLarge(f"{what} files may be at most {limit:,} bytes", fields={"file": f"over {limit} bytes"})


def clean_filename(name: str) -> str:
    """Only the last path part, without control characters: names are shown, never used as paths."""
    base = PureWindowsPath(name.replace("\x00", "")).name
    return "".join(ch for ch in base if ch.isprintable()).strip()[:255]


@dataclass(frozen=True)
class RecordUpload:
    spool: Spool
    sha256: str
    media_type: MediaType
    filename: str


class Receiver:
    """Applies the upload rules while the bytes arrive, so a bad upload stops early."""

    def __init__(self, deps: Deps, declared_length: int | None) -> None:
        self.settings = deps.settings
        self.limit = max(size_limit(self.settings, kind) for kind in MediaKind)
        self.declared_length = declared_length
        self._check(declared_length or 0, "uploaded")
        self.spool = blob_store(deps).spool(SNIFF_BYTES)
        self.media_type: MediaType | None = None

    def _check(self, size: int, what: str) -> None:
        if size > self.limit:
            raise _too_large(self.limit, what)

    def _classify(self) -> MediaType:
        self.media_type = sniff(self.spool.head)
        self.limit = size_limit(self.settings, self.media_type.kind)
        self._check(self.declared_length or 0, self.media_type.kind.value)
        return self.media_type

    def accept(self, data: bytes) -> None:
        self.spool.write(data)
        if self.media_type is None and self.spool.head_complete:
            self._classify()
        self._check(self.spool.size, self.media_type.kind.value if self.media_type else "uploaded")

    def finish(self, filename: str) -> RecordUpload:
        if self.spool.size == 0:
            raise InvalidInput("the upload is empty", fields={"file": "no bytes received"})
        media_type = self.media_type or self._classify()  # files shorter than SNIFF_BYTES
        name = clean_filename(filename) or f"upload.{media_type.extension}"
        return RecordUpload(self.spool, self.spool.finish(), media_type, name)


def checked_type(settings: Settings, data: bytes) -> MediaType:
    """The type of a file held in memory, by the upload rules (InvalidInput or TooLarge)."""
    if not data:
        raise InvalidInput("the file is empty", fields={"file": "no bytes"})
    media_type = sniff(data[:SNIFF_BYTES])
    if len(data) > (limit := size_limit(settings, media_type.kind)):
        raise _too_large(limit, media_type.kind.value)
    return media_type


def keep_bytes(deps: Deps, data: bytes) -> str:
    """Store bytes held in memory in the blob store; their sha256."""
    with blob_store(deps).spool(SNIFF_BYTES) as spool:
        spool.write(data)
        sha256 = spool.finish()
        blob_store(deps).keep(sha256, spool)
    return sha256


def _described(media: Media, already_uploaded: bool) -> dict[str, object]:
    return {"media_id": media.id, "sha256": media.sha256, "size": media.size, "content_type": media.content_type,
            "kind": media.kind.value, "already_uploaded": already_uploaded}


def record_upload(cmd: RecordUpload, actor: Actor, deps: Deps) -> Done:
    return keep_upload(cmd, require_uploader(actor), deps)


def keep_upload(cmd: RecordUpload, uploader_id: UUID, deps: Deps) -> Done:
    """Keep the blob first: an event never names bytes that are not stored. (Also the forum's
    attachments, whose uploaders are checked by their own rules: commands/forum/attachments.py.)"""
    blob_store(deps).keep(cmd.sha256, cmd.spool)
    existing = find(deps, Media, media_id_for(uploader_id, cmd.sha256))
    if existing is not None:
        return Done(0, _described(existing, True))
    media = Media.upload(uploader_id, cmd.sha256, cmd.spool.size, cmd.media_type, cmd.filename)
    try:
        position = deps.store.record(media)
    except ConcurrentChange:  # the same person sent the same bytes twice at once
        return Done(0, _described(media, True))
    return Done(position, _described(media, False))
