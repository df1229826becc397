"""Text the read models can store. PostgreSQL's text and JSONB refuse the NUL character, and
UTF-8 has no unpaired surrogates (JSON's "\\ud800" decodes to one). The event store would
record such text, sealed or not, and then every projection copying it would stop on it for
good, so commands refuse it as bad input instead."""

from __future__ import annotations

from typing import Any


def text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains an unpaired surrogate (not valid Unicode)"
    return None


def unstorable(value: Any, path: str) -> tuple[str, str] | None:
    """The first field (a dotted path under `path`) of plain JSON whose text cannot be stored,
    and why; None when all of it can."""
    if isinstance(value, str):
        problem = text_problem(value)
        return (path, problem) if problem else None
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None
    for key, inner in items:
        where = f"{path}.{key}" if path else str(key)
        found = unstorable(key, where) if isinstance(key, str) else None
        if found := found or unstorable(inner, where):
            return found
    return None


def storable(text: str) -> str:
    """For pydantic's AfterValidator: the text, or ValueError."""
    if problem := text_problem(text):
        raise ValueError(problem)
    return text
