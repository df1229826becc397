"""Keyset cursors: what the server hands out comes back unchanged; anything else is a 422."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from domain.errors import InvalidInput
from projections.reading.pagination import Kind, decode_cursor, encode_cursor

AN_ID = "9f1c2b44-5d0e-4f6a-8b7c-1a2b3c4d5e6f"  # fixed: test ids must be the same in every xdist worker


def hand_made(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def test_cursors_round_trip_every_kind_of_sort_key():
    when, who = datetime(2026, 3, 1, 12, 30, tzinfo=UTC), uuid4()
    values = [when, who, 42, 0.75, "Fractions 𝄞", date(2026, 3, 1), None, True]
    kinds = [Kind.TIME, Kind.ID, Kind.WHOLE, Kind.NUMBER, Kind.TEXT, Kind.DATE, Kind.NULL, Kind.FLAG]
    decoded = decode_cursor(encode_cursor(*values), *kinds)
    assert decoded == [when.isoformat(), str(who), 42, 0.75, "Fractions 𝄞", "2026-03-01", None, True]
    assert decode_cursor(None, Kind.TIME, Kind.ID) is None and decode_cursor("", Kind.WHOLE) is None


TIME_ID, WHOLE_ID, TEXT_ID = (Kind.TIME, Kind.ID), (Kind.WHOLE, Kind.ID), (Kind.TEXT, Kind.ID)


@pytest.mark.parametrize("cursor, kinds", [
    (hand_made(["x"]), TIME_ID), (hand_made(["a", "b"]), TIME_ID), (hand_made([1, 2]), WHOLE_ID),
    (hand_made({"a": 1}), TIME_ID),
    (hand_made([["t", "x"], ["u", "y"]]), TIME_ID),  # tagged, but not a time or an id
    (hand_made([["i", True], ["u", AN_ID]]), WHOLE_ID),  # a flag is not a number
    (hand_made([["i", 2**64], ["u", AN_ID]]), WHOLE_ID),  # beyond bigint
    (hand_made([["s", "a\u0000b"], ["u", AN_ID]]), TEXT_ID),  # PostgreSQL text holds no NUL
    (hand_made([["s", "\ud800"], ["u", AN_ID]]), TEXT_ID),  # nor an unpaired surrogate
    (hand_made([[["t"], 1], ["u", AN_ID]]), TIME_ID), (hand_made([["?", 1], ["u", AN_ID]]), TIME_ID),
    ("garbage!", TIME_ID), ("%%%", TIME_ID), ("ünïcode", TEXT_ID), ("a" * 7, WHOLE_ID),
])
def test_hand_made_cursors_are_invalid_input(cursor, kinds):
    with pytest.raises(InvalidInput) as e:
        decode_cursor(cursor, *kinds)
    assert e.value.fields == {"cursor": "not a cursor from this list"}


def test_a_list_that_names_its_kinds_refuses_other_kinds():
    with pytest.raises(InvalidInput):
        decode_cursor(encode_cursor("2026-03-01", AN_ID), Kind.TIME, Kind.ID)  # texts, not a time and an id
    with pytest.raises(InvalidInput):
        decode_cursor(encode_cursor("7"), Kind.WHOLE)
    with pytest.raises(InvalidInput):
        decode_cursor(encode_cursor(7, 8), Kind.WHOLE)  # one value too many
