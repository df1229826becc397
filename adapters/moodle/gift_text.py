"""GIFT's escaping: `~ = # { } :` and backslash are escaped with a backslash, `\\n` is a newline.
Finding and splitting on a token must skip escaped characters. Texts may start with a format
marker, which says how to convert them to Markdown (GiftTexts)."""

from __future__ import annotations

import re
from typing import cast

from adapters.documents.rich_text import SourceFormat
from adapters.moodle.question_files import plain_text
from adapters.moodle.question_texts import RichTexts

_ESCAPED = re.compile(r"\\([~=#{}:\\n])")
_SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    out = "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)
    return out.replace("\n", "\\n")


def unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def find(text: str, token: str, start: int = 0) -> int:
    """Index of the first unescaped `token` at or after start, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(token, i):
            return i
        i += 1
    return -1


def split(text: str, token: str) -> list[str]:
    parts, start = [], 0
    while (i := find(text, token, start)) >= 0:
        parts.append(text[start:i])
        start = i + len(token)
    return parts + [text[start:]]


_MARKER = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)


def marked(text: str, default: SourceFormat) -> tuple[SourceFormat, str]:
    """A text's format from its leading `[html]`, `[moodle]`, `[plain]` or `[markdown]` marker
    (else the default), and the text without the marker."""
    found = _MARKER.match(text)
    if found is None:
        return default, text
    return cast(SourceFormat, found.group(1).lower()), text[found.end():]


class GiftTexts(RichTexts):
    """One question's texts: each may carry its own marker; without one it has the format of
    the question text (Moodle's rule), which is Moodle's auto-format unless marked."""

    def __init__(self, default: SourceFormat = "moodle") -> None:
        super().__init__()
        self.default = default

    def __call__(self, raw: str) -> str:
        fmt, text = marked(raw, self.default)
        return self.convert(unescape(text).strip(), fmt)

    def plain(self, raw: str) -> str:
        """An accepted answer or a matching choice: no rich text, but markers and HTML go."""
        fmt, text = marked(raw, self.default)
        return plain_text(unescape(text), "html" if fmt == "html" else "plain")
