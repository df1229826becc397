"""Media: uploaded files, known by the sha256 of their bytes; their type comes from the bytes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

import filetype

from domain.errors import InvalidInput
from domain.event_conventions import Root

SNIFF_BYTES = 8192  # filetype looks at most at this many leading bytes


class MediaKind(StrEnum):
    VIDEO = "video"
    AUDIO = "audio"
    PDF = "pdf"
    IMAGE = "image"
    DOCUMENT = "document"


# An allow-list by detected MIME type: formats a browser or office suite opens, nothing that runs.
ALLOWED: dict[str, MediaKind] = {
    "video/mp4": MediaKind.VIDEO, "video/webm": MediaKind.VIDEO, "video/quicktime": MediaKind.VIDEO,
    "video/x-matroska": MediaKind.VIDEO, "video/x-m4v": MediaKind.VIDEO, "video/mpeg": MediaKind.VIDEO,
    "audio/mpeg": MediaKind.AUDIO, "audio/ogg": MediaKind.AUDIO, "audio/x-wav": MediaKind.AUDIO,
    "audio/x-flac": MediaKind.AUDIO, "audio/mp4": MediaKind.AUDIO, "audio/aac": MediaKind.AUDIO,
    "application/pdf": MediaKind.PDF,
    "image/png": MediaKind.IMAGE, "image/jpeg": MediaKind.IMAGE, "image/gif": MediaKind.IMAGE,
    "image/webp": MediaKind.IMAGE, "image/avif": MediaKind.IMAGE,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": MediaKind.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": MediaKind.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": MediaKind.DOCUMENT,
    "application/vnd.oasis.opendocument.text": MediaKind.DOCUMENT,
    "application/vnd.oasis.opendocument.spreadsheet": MediaKind.DOCUMENT,
    "application/vnd.oasis.opendocument.presentation": MediaKind.DOCUMENT,
    "application/msword": MediaKind.DOCUMENT, "application/vnd.ms-excel": MediaKind.DOCUMENT,
    "application/vnd.ms-powerpoint": MediaKind.DOCUMENT,
}
PLAYABLE = {MediaKind.VIDEO, MediaKind.AUDIO}


@dataclass(frozen=True)
class MediaType:
    mime: str
    kind: MediaKind
    extension: str


def sniff(head: bytes) -> MediaType:
    """The type of a file from its leading bytes; the name and the declared type are ignored."""
    guess = filetype.guess(head[:SNIFF_BYTES]) if head else None
    if guess is None or guess.mime not in ALLOWED:
        found = f"detected {guess.mime}" if guess else "no known file signature"
        raise InvalidInput(
            f"unsupported file type ({found}); allowed: video, audio, PDF, images and office documents",
            fields={"file": found},
        )
    return MediaType(guess.mime, ALLOWED[guess.mime], guess.extension)


def media_id_for(uploader_id: UUID, sha256: str) -> UUID:
    """One media per uploader and content: uploading the same bytes again changes nothing."""
    return uuid5(NAMESPACE_URL, f"skillhub:media:{uploader_id}:{sha256}")


class Media(Root):
    class Uploaded(Root.Created):
        uploader_id: UUID
        sha256: str
        size: int
        content_type: str
        kind: str
        filename: str
        personal_fields = ("filename",)
        personal_subject = "uploader_id"

        def apply(self, media: Media) -> None:
            media.uploader_id, media.sha256, media.size = self.uploader_id, self.sha256, self.size
            media.content_type, media.kind, media.filename = self.content_type, MediaKind(self.kind), self.filename

    @classmethod
    def upload(cls, uploader_id: UUID, sha256: str, size: int, media_type: MediaType, filename: str) -> Media:
        return cls._create(
            cls.Uploaded, id=media_id_for(uploader_id, sha256), uploader_id=uploader_id, sha256=sha256,
            size=size, content_type=media_type.mime, kind=media_type.kind.value, filename=filename,
        )
