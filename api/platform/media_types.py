"""The content types routes answer besides JSON, declared for the OpenAPI document with
`responses=answers(CSV, PARQUET)`: files are documented as what they are, not as JSON."""

from __future__ import annotations

from typing import Any

_TEXT = {"schema": {"type": "string"}}
_BYTES = {"schema": {"type": "string", "format": "binary"}}

CSV = {"text/csv": _TEXT}
PARQUET = {"application/vnd.apache.parquet": _BYTES}
PDF = {"application/pdf": _BYTES}
HTML = {"text/html": _TEXT}
ICALENDAR = {"text/calendar": _TEXT}
EVENT_STREAM = {"text/event-stream": _TEXT}
PLAIN_TEXT = {"text/plain": _TEXT}
XML = {"application/xml": _TEXT}
JSON_SCHEMA = {"application/schema+json": {"schema": {"type": "object", "additionalProperties": True}}}
ANY_FILE = {"*/*": _BYTES}  # media as uploaded: the type read from its bytes


def answers(*contents: dict[str, Any], status: int = 200, description: str | None = None) -> dict[int | str, Any]:
    """`responses=` for a route: `status` may answer any of these content types (besides the
    route's own JSON, unless its `response_class` is a plain `Response`)."""
    merged: dict[str, Any] = {}
    for content in contents:
        merged.update(content)
    response: dict[str, Any] = {"content": merged}
    if description:
        response["description"] = description
    return {status: response}
