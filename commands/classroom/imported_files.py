"""Files inside an imported question file (Moodle XML's base64 `<file>`s): checked by the upload
rules, kept in the media store as the importer's media, and linked from the questions' texts
(`/api/v1/media/{id}/content`). A file SkillHub does not take (type, size), or that the file
only names, is left out: its link becomes its label and the import's warnings say why.

Media ids depend only on the importer and the bytes, so links are written before anything is
stored; the blobs of the questions actually imported are kept first, then their Media events
are recorded with the questions."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from adapters.documents.rich_text import media_link
from adapters.moodle.question_files import ParsedFile
from adapters.moodle.question_texts import FILE_LINK
from commands.classroom.media import checked_type, clean_filename, keep_bytes
from commands.loading import find
from commands.pipeline import Actor, Deps
from domain.errors import InvalidInput, TooLarge
from domain.media import Media, MediaType, media_id_for

_BARE = re.compile(FILE_LINK + r"(\d+)")
_LINK = re.compile(r"(!?)\[((?:\\.|[^\]\\])*)\]\(" + FILE_LINK + r"(\d+)\)")


@dataclass(frozen=True)
class KeptFile:
    media_id: UUID
    sha256: str
    media_type: MediaType
    name: str
    data: bytes


class ImportedFiles:
    def __init__(self, deps: Deps, actor: Actor, parsed: ParsedFile) -> None:
        self.deps, self.actor = deps, actor
        self.files: list[KeptFile | str] = [self._check(f.name, f.data, f.missing) for f in parsed.files]
        self.names = [f.name for f in parsed.files]

    def _check(self, name: str, data: bytes, missing: str) -> KeptFile | str:
        """The file to keep, or why it is left out."""
        if missing:
            return missing
        try:
            media_type = checked_type(self.deps.settings, data)
        except (InvalidInput, TooLarge) as e:
            return e.detail
        sha256 = hashlib.sha256(data).hexdigest()
        name = clean_filename(name) or f"file.{media_type.extension}"
        return KeptFile(media_id_for(self.actor.user_id, sha256), sha256, media_type, name, data)

    def link(self, raw: dict[str, Any]) -> tuple[dict[str, Any], set[int], list[str]]:
        """The question with its files linked, the files it uses, and what it lost."""
        used: set[int] = set()
        lost: list[str] = []

        def relink(found: re.Match[str]) -> str:
            """The link to the stored file, or its label when the file is left out."""
            index = int(found.group(3))
            if index >= len(self.files):  # typed by a person, not made by the parser
                return found.group(0)
            file = self.files[index]
            if isinstance(file, str):
                lost.append(f"file '{self.names[index]}' left out: {file}")
                return found.group(2)
            used.add(index)
            return f"{found.group(1)}[{found.group(2)}]({media_link(file.media_id)})"

        def walk(value: Any) -> Any:
            if isinstance(value, str):  # a file named outside a link keeps only its name
                return _BARE.sub(self._name, _LINK.sub(relink, value))
            if isinstance(value, list):
                return [walk(v) for v in value]
            if isinstance(value, dict):
                return {k: walk(v) for k, v in value.items()}
            return value

        return walk(raw), used, lost

    def _name(self, found: re.Match[str]) -> str:
        index = int(found.group(1))
        return self.names[index] if index < len(self.names) else found.group(0)

    def ours(self) -> set[UUID]:
        return {f.media_id for f in self.files if isinstance(f, KeptFile)}

    def keep(self, used: set[int]) -> list[Media]:
        """Store the used files' bytes, then the Media to record for those not recorded yet."""
        kept = {f.media_id: f for i, f in enumerate(self.files) if i in used and isinstance(f, KeptFile)}
        for file in kept.values():
            keep_bytes(self.deps, file.data)
        return [Media.upload(self.actor.user_id, f.sha256, len(f.data), f.media_type, f.name)
                for f in kept.values() if find(self.deps, Media, f.media_id) is None]
