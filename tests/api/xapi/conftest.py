"""Fixtures for xAPI tests: the assessment kit (classes, quizzes, attempts) and a local LRS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.assessment.conftest import cast, kit  # noqa: F401 - fixtures used here too
from tests.xapi_lrs import LocalLrs


@pytest.fixture
def lrs() -> Iterator[LocalLrs]:
    server = LocalLrs()
    yield server
    server.close()
