"""Fixtures for the AI tools' tests: the catalog kit (courses through the API), the assessment
kit (classes, quizzes, attempts), a lesson text worth analysing, and a local chat server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.ai.chat_server import ChatServer
from tests.api.assessment.conftest import Kit, cast  # noqa: F401 - fixture
from tests.api.catalog.conftest import catalog_staff, kit  # noqa: F401 - fixtures

PHOTOSYNTHESIS = """# Photosynthesis
Photosynthesis is the process by which green plants use sunlight to synthesize nutrients from carbon dioxide and water.
Chlorophyll absorbs light energy in the chloroplasts of leaf cells. The Calvin cycle fixes carbon into sugars during the day.
The light-dependent reactions take place in the thylakoid membranes and produce ATP and NADPH.
Oxygen is released as a by-product of photosynthesis through the stomata.
"""
RESPIRATION = """Cellular respiration breaks down glucose in the mitochondria to release energy.
Glycolysis happens in the cytoplasm. The Krebs cycle produces carbon dioxide.
The electron transport chain makes most of the ATP."""


def biology_course(kit: Any, author: Any = None, publish: bool = False) -> dict[str, Any]:
    """A course whose first lesson is PHOTOSYNTHESIS and second RESPIRATION."""
    lessons = [{"lesson_id": str(uuid.uuid4()), "title": "Photosynthesis", "content": PHOTOSYNTHESIS},
               {"lesson_id": str(uuid.uuid4()), "title": "Respiration", "content": RESPIRATION}]
    modules = [{"title": "Plants", "lessons": lessons}]
    return kit.published(author, title="Biology", modules=modules) if publish else kit.create(author, title="Biology",
                                                                                                modules=modules)


@pytest.fixture
def assess(client, make_person, app, monkeypatch, cast) -> Kit:  # noqa: F811 - the imported fixture
    return Kit(client, make_person, app, monkeypatch, cast)


@pytest.fixture
def chat(app, monkeypatch) -> Iterator[ChatServer]:
    """The API talks to this server for as long as the test runs."""
    with ChatServer() as server:
        monkeypatch.setattr(app.state.deps.settings, "ai_chat_url", server.url)
        monkeypatch.setattr(app.state.deps.settings, "ai_chat_model", "local-test-model")
        monkeypatch.setattr(app.state.deps.settings, "ai_chat_api_key", "test-key")
        yield server
