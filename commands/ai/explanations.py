"""A student asks why their answer was wrong: the configured chat model explains it, from what
the student may already see of the question (their answer, its grade, the feedback and the answer
key). Only once the key is released (an explanation would give it away) and only for an answer
that did not earn full credit. Without a configured endpoint nothing is called: 409."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from adapters.chat_completions import ChatUnavailable, complete, configured
from commands.assessment.attempts import own_attempt
from commands.pipeline import Actor, Deps
from domain.errors import Conflict, NotFound, RuleBroken
from projections.assessment.attempt_review import attempt_view

SYSTEM = ("You are a patient tutor. A student got a quiz question wrong. In at most 120 words, explain"
          " what the right answer is and why their answer is not, without judging them.")


class ExplainAnswer(BaseModel):
    attempt_id: UUID
    question_id: str = Field(max_length=40)


def explain_answer(cmd: ExplainAnswer, actor: Actor, deps: Deps) -> dict[str, Any]:
    own_attempt(deps, actor, cmd.attempt_id)
    view = attempt_view(deps.pool, cmd.attempt_id, now=deps.clock(), full=False)
    if view is None:
        raise NotFound(f"attempt {cmd.attempt_id} not found")
    question = next((q for q in view["questions"] if q["question_id"] == cmd.question_id), None)
    if question is None:
        raise NotFound(f"question {cmd.question_id} is not in this attempt")
    review = question["review"]
    if review is None or review["answer_key"] is None:
        raise RuleBroken("the answer key of this question is not released yet")
    if review["grade"] and review["grade"].get("fraction", 0) >= 1:
        raise RuleBroken("this answer earned full credit: there is nothing to explain")
    if not configured(deps.settings):
        raise Conflict("explanations need a chat endpoint, and none is configured (SKILLHUB_AI_CHAT_URL)")
    try:
        text = complete(deps.settings, SYSTEM, json.dumps(question, default=str))
    except ChatUnavailable as e:
        raise Conflict(f"the explanation service is unavailable: {e}") from None
    return {"attempt_id": cmd.attempt_id, "question_id": cmd.question_id, "explanation": text,
            "model": deps.settings.ai_chat_model}
