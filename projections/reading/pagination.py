"""Opaque keyset cursors: the sort key of the last row, base64-encoded JSON.

Each value travels with a tag naming its kind (time, date, id, whole number, number, text,
flag, null). A list names the kinds it sorts by (`decode_cursor(c, Kind.TIME, Kind.ID)`), and
decoding checks every value's tag against them and the value against its tag, so a hand-made
cursor such as `["x"]`, `["a", "b"]` or a well-tagged value of another kind is a 422 here
instead of a failed int() or `::timestamptz` cast later. Decoded values are the JSON values
(times and ids as strings), as the queries expect.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.errors import InvalidInput
from domain.storable_text import text_problem

_BIGINT = 2**63


class Kind(StrEnum):
    TIME = "t"
    DATE = "d"
    ID = "u"
    WHOLE = "i"
    NUMBER = "f"
    TEXT = "s"
    FLAG = "b"
    NULL = "n"


def _is_whole(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and -_BIGINT <= v < _BIGINT


def _is_number(v: Any) -> bool:
    return _is_whole(v) or (isinstance(v, float) and math.isfinite(v))


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and text_problem(v) is None  # no NUL, no lone surrogate: PostgreSQL refuses both


def _parses(parse: Callable[[str], Any]) -> Callable[[Any], bool]:
    def check(v: Any) -> bool:
        try:
            return isinstance(v, str) and parse(v) is not None
        except ValueError:
            return False

    return check


_CHECKS: dict[str, Callable[[Any], bool]] = {
    Kind.TIME: _parses(datetime.fromisoformat), Kind.DATE: _parses(date.fromisoformat), Kind.ID: _parses(UUID),
    Kind.WHOLE: _is_whole, Kind.NUMBER: _is_number, Kind.TEXT: _is_text,
    Kind.FLAG: lambda v: isinstance(v, bool), Kind.NULL: lambda v: v is None,
}


def _tagged(value: Any) -> list[Any]:
    # datetime before date (a datetime is a date), bool before int (a bool is an int).
    if isinstance(value, datetime):
        return [Kind.TIME, value.isoformat()]
    if isinstance(value, date):
        return [Kind.DATE, value.isoformat()]
    if isinstance(value, UUID):
        return [Kind.ID, str(value)]
    if value is None:
        return [Kind.NULL, None]
    for kind, python_type in ((Kind.FLAG, bool), (Kind.WHOLE, int), (Kind.NUMBER, float), (Kind.TEXT, str)):
        if isinstance(value, python_type):
            return [kind, value]
    return [Kind.TEXT, str(value)]


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps([_tagged(v) for v in values]).encode()).decode()


def _valid(item: Any, expected: Kind) -> bool:
    return isinstance(item, list) and len(item) == 2 and item[0] == expected and _CHECKS[expected](item[1])


def decode_cursor(cursor: str | None, *kinds: Kind) -> list[Any] | None:
    """The values of a cursor this list handed out, whose sort key is of these kinds."""
    if not cursor:
        return None
    try:
        items = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error):
        items = None
    if not (isinstance(items, list) and len(items) == len(kinds)
            and all(_valid(i, k) for i, k in zip(items, kinds, strict=True))):
        raise InvalidInput("cursor is not valid", fields={"cursor": "not a cursor from this list"})
    return [value for _, value in items]


def page(rows: list[dict[str, Any]], limit: int, *key: str) -> dict[str, Any]:
    """Rows were fetched with limit + 1; the extra row only tells that there is more."""
    items = rows[:limit]
    more = len(rows) > limit
    return {
        "items": items,
        "next_cursor": encode_cursor(*(items[-1][k] for k in key)) if more and items else None,
    }
