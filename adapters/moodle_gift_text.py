"""GIFT's escaping: `~ = # { } :` and backslash are escaped with a backslash, `\\n` is a newline.
Finding and splitting on a token must skip escaped characters."""

from __future__ import annotations

import re

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
