"""Files linked from the texts of an exported question, written as Moodle does: a base64
`<file name=... path="/" encoding="base64">` beside the text, which links it as
`@@PLUGINFILE@@/name`. Imported again (adapters/moodle/xml_texts.py), each file is stored once
more and linked again, so an export of SkillHub's questions travels whole."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import quote
from uuid import UUID

from adapters.documents.rich_text import linked_media, media_link
from adapters.moodle.question_texts import EmbeddedFile

# The bytes of a linked media file and the name to give it, or why it cannot be embedded
# (`missing`: unknown, unreadable, too large).
MediaFiles = Callable[[UUID], EmbeddedFile]


def embed_media(question: ET.Element, files: MediaFiles | None, lost: list[str]) -> None:
    """Rewrite the links of every Markdown text of the question to embedded files; a file that
    cannot be embedded keeps its link and is named in `lost`."""
    for node in list(question.iter()):
        text = node.find("text")
        if node.get("format") != "markdown" or text is None or not text.text:
            continue
        for media_id in sorted(linked_media(text.text), key=str):
            found = files(media_id) if files else EmbeddedFile("", b"", "no file store at hand")
            if found.missing:
                note = f"linked file {media_id} not embedded ({found.missing}); the link points at SkillHub"
                if note not in lost:
                    lost.append(note)
                continue
            text.text = text.text.replace(media_link(media_id), f"@@PLUGINFILE@@/{quote(found.name)}")
            embedded = ET.SubElement(node, "file", name=found.name, path="/", encoding="base64")
            embedded.text = base64.b64encode(found.data).decode("ascii")
