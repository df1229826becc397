"""Text the read models can store. PostgreSQL's text and JSONB refuse the NUL character, and
UTF-8 has no unpaired surrogates (JSON's "\\ud800" decodes to one). The event store would
record such text, sealed or not, and then every projection copying it would stop on it for
good, so it is refused as bad input: by the API for every request (api/platform/storable_input.py)
and, whatever path a value took, by `Root` for every event (domain/event_conventions.py)."""

from __future__ import annotations

from typing import Any


def text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character"
    if not text.isascii():  # ASCII is valid UTF-8: no need to encode it
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "contains an unpaired surrogate (not valid Unicode)"
    return None


def shown(text: str) -> str:
    """The text with NUL and unpaired surrogates escaped (\\x00, \\ud800), safe to put in an
    error message: a response echoing a surrogate could not even be encoded."""
    return text.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode("utf-8")


def unstorable(value: Any, path: str) -> tuple[str, str] | None:
    """The first field (a dotted path under `path`, keys shown escaped) of plain data (texts
    inside dicts, lists, tuples and sets) whose text cannot be stored, and why; None when all
    of it can."""
    found = _first_unstorable(value)
    if found is None:
        return None
    parts, problem = found
    return ".".join([path, *reversed(parts)] if path else reversed(parts)), problem


def _first_unstorable(value: Any) -> tuple[list[str], str] | None:
    # The path is built only for what is found (innermost part first): most data has none.
    if isinstance(value, str):
        problem = text_problem(value)
        return ([], problem) if problem else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    elif isinstance(value, (set, frozenset)):
        items = enumerate(sorted(value, key=repr))
    else:
        return None
    for key, inner in items:
        problem = text_problem(key) if isinstance(key, str) else None
        found = ([], problem) if problem else _first_unstorable(inner)
        if found:
            found[0].append(shown(key) if isinstance(key, str) else str(key))
            return found
    return None
