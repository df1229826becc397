"""The offline text tools: analysis and question drafting, with no network (the libraries ship
their data)."""

from __future__ import annotations

import socket

import pytest

from commands.ai.quiz_generation import distractors, draft_questions
from commands.ai.text_analysis import analyse, plain_text
from commands.assessment.question_specs import validate_content
from tests.api.ai.conftest import PHOTOSYNTHESIS, RESPIRATION


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the text tools tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_analysis_works_offline_and_reads_the_rendered_text(no_network):
    found = analyse("# Title\n\n**Mitochondria** are the powerhouse of the cell. They make ATP for the cell.", "en-GB")
    assert found.language == "en"
    assert "mitochondria" in [c["phrase"].lower() for c in found.key_concepts]
    assert "**" not in plain_text("**bold** text")
    empty = analyse("", "en")
    assert empty.word_count == 0 and empty.key_concepts == [] and empty.reading_minutes == 0


def test_drafts_are_valid_questions_tied_to_their_sentence(no_network):
    drafted = draft_questions(PHOTOSYNTHESIS, [RESPIRATION], "en")
    assert len(drafted) >= 3
    assert {d.content["type"] for d in drafted} == {"cloze", "single_choice", "true_false"}
    text = plain_text(PHOTOSYNTHESIS)
    for d in drafted:
        assert d.source_sentence in text
        assert validate_content(d.content) == d.content
        assert d.content["tags"] == ["generated"]
    choice = next(d.content for d in drafted if d.content["type"] == "single_choice")
    right = [o["text"] for o in choice["options"] if o["correct"]]
    assert len(right) == 1 and right[0].lower() in choice["title"].lower()


def test_distractors_come_from_related_concepts_and_share_no_word():
    pool = ["Krebs cycle", "mitochondria", "glucose", "Calvin cycle", "cytoplasm"]
    picked = distractors("chloroplasts", pool, "en")
    assert picked and set(picked) <= set(pool)
    assert "Calvin cycle" not in distractors("Krebs cycle", pool, "en")  # shares "cycle"
