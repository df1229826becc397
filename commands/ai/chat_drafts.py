"""Questions drafted by an OpenAI-compatible chat model (adapters/chat_completions.py), when one
is configured. The model is asked for JSON; each question it returns must pass the same
validation as a question a teacher writes, and must quote a sentence of the lesson, else it is
dropped. Drafts still go to the teacher for approval."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from adapters.chat_completions import complete
from adapters.settings import Settings
from commands.ai.quiz_generation import Drafted
from commands.ai.text_analysis import plain_text, sentences
from commands.assessment.question_specs import validate_content
from domain.errors import InvalidInput

SYSTEM = (
    "You write quiz questions for teachers from a lesson text. Answer with JSON only: "
    '{"questions": [{"source_sentence": "<a sentence copied exactly from the lesson>", "question": {...}}]}. '
    "Each question is one of: "
    '{"type": "single_choice", "title": str, "prompt": str, "options": [{"id": "a", "text": str, "correct": bool}]}'
    ' (exactly one correct; wrong options are plausible concepts of the same course), '
    '{"type": "true_false", "title": str, "prompt": str, "correct": bool}, '
    '{"type": "cloze", "title": str, "prompt": "text with {{b1}}", "blanks": [{"id": "b1", "kind": "short_text",'
    ' "answers": [{"text": str}]}]}.'
)
_JSON = re.compile(r"\{.*\}", re.DOTALL)


def generator_name(settings: Settings) -> str:
    return f"chat:{settings.ai_chat_model}"


def _valid(item: Any, lesson_sentences: list[str]) -> Drafted | None:
    if not isinstance(item, dict) or not isinstance(item.get("question"), dict):
        return None
    quoted = " ".join(str(item.get("source_sentence", "")).split())
    source = next((s for s in lesson_sentences if quoted and (quoted in s or s in quoted)), None)
    if source is None:
        return None
    question = {**item["question"], "tags": ["generated"]}
    question.setdefault("skills", [])
    try:
        return Drafted(validate_content(question), source)
    except (ValidationError, InvalidInput):
        return None


def chat_drafts(settings: Settings, lesson_markdown: str, related_concepts: list[str], limit: int) -> list[Drafted]:
    """Raises ChatUnavailable when the endpoint fails; an unusable answer gives no drafts."""
    text = plain_text(lesson_markdown)
    lesson_sentences = [" ".join(s.split()) for s in sentences(text)]
    user = (f"Write up to {limit} questions. Concepts of the same course for distractors: "
            f"{', '.join(related_concepts[:30]) or 'none'}.\n\nLesson:\n{text}")
    reply = complete(settings, SYSTEM, user)
    found = _JSON.search(reply)
    try:
        items = json.loads(found.group(0))["questions"] if found else []
    except (ValueError, KeyError, TypeError):
        items = []
    drafted = [d for d in (_valid(i, lesson_sentences) for i in (items if isinstance(items, list) else [])) if d]
    return drafted[:limit]
