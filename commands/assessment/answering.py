"""Saving one answer on an attempt, shared by the attempt's own route (commands/assessment/attempts.py)
and a live exam's (commands/live/answers.py), which record it with what else they change."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.assessment import version_shapes
from commands.pipeline import Deps
from domain.answers import check_answer
from domain.attempts import Attempt


def put_answer(deps: Deps, attempt: Attempt, question_ref: UUID, given: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The answer checked and saved on the attempt, not yet recorded: its question id and the
    checked answer."""
    question_id = str(question_ref)
    attempt.points_of(question_id)  # 422 when the question is not part of the attempt
    question = version_shapes.questions_of(deps, attempt.quiz_id, attempt.quiz_version)[question_id]
    answer = check_answer(question, given)
    attempt.save_answer(question, question_id, answer, deps.clock())
    return question_id, answer
