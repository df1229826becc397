"""Opaque keyset cursors: the sort key of the last row, base64-encoded JSON."""

from __future__ import annotations

import base64
import json
from typing import Any

from domain.errors import InvalidInput


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str | None, arity: int) -> list[Any] | None:
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError:
        values = None
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidInput("cursor is not valid", fields={"cursor": "not a cursor from this list"})
    return values


def page(rows: list[dict[str, Any]], limit: int, *key: str) -> dict[str, Any]:
    """Rows were fetched with limit + 1; the extra row only tells that there is more."""
    items = rows[:limit]
    more = len(rows) > limit
    return {
        "items": items,
        "next_cursor": encode_cursor(*(items[-1][k] for k in key)) if more and items else None,
    }
