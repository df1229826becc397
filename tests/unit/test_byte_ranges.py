"""Parsing a Range header against a file of 1000 bytes."""

from __future__ import annotations

import pytest

from api.platform.byte_ranges import Unsatisfiable, parse_range


@pytest.mark.parametrize(("header", "expected"), [
    (None, None), ("", None), ("bytes=0-0", (0, 1)), ("bytes=0-999", (0, 1000)), ("bytes=0-5000", (0, 1000)),
    ("bytes=500-", (500, 1000)), ("bytes=-1", (999, 1000)), ("bytes=-5000", (0, 1000)), ("BYTES= 1 - 2 ", (1, 3)),
    ("lines=0-1", None), ("bytes=9-3", None), ("bytes=-", None), ("bytes=a-b", None),
])
def test_single_ranges(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=1000-1001", "bytes=-0", "bytes=0-1,3-4"])
def test_unsatisfiable(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, 1000)
