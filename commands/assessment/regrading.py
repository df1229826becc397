"""Correcting an answer key of a published quiz version, and re-grading its attempts.

Every submitted attempt of the version is graded again from its saved answers (the state its
answer events rebuild) against the corrected question. The preview shows each student's old
and new score and records nothing; the confirmation records the corrected key and, for each
attempt whose grade changed, a Regraded event. Attempts still in
progress are graded with the corrected key when they are submitted. An answer erased with its
author cannot be graded again and keeps its grade.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from commands.access.assessment_access import require_quiz_manager
from commands.access.media_access import require_readable_links
from commands.assessment.question_specs import QuestionSpec, content_of
from commands.bounded_saves import record_bounded
from commands.loading import load
from commands.pipeline import Actor, Deps, Done
from domain.attempts import Attempt
from domain.event_conventions import ERASED
from domain.quizzes import Quiz
from domain.scoring import grade_answer, totals
from projections.assessment import attempts_queries
from projections.assessment.attempts import attempts as attempts_projection
from projections.engine.tracking import log_head, wait_for_position

REGRADED_BYTES = 1024  # an Attempt.Regraded event is a few hundred bytes


class CorrectKey(BaseModel):
    quiz_id: UUID
    version: int = Field(ge=1, le=1_000_000)
    question_id: UUID
    question: QuestionSpec


def _regrade(deps: Deps, quiz: Quiz, cmd: CorrectKey, question: dict[str, Any]) -> tuple[list[Attempt], list[dict[str, Any]]]:
    """Attempts with a changed grade (events pending) and one row per submitted attempt."""
    # Attempts started a moment ago must be in the list: let the read model reach the log head.
    wait_for_position(deps.pool, [attempts_projection], log_head(deps.pool), deps.settings.read_wait_seconds)
    question_id = str(cmd.question_id)
    negative = quiz.published(cmd.version)["settings"]["negative_marking"]
    changed, rows = [], []
    for attempt_ref in attempts_queries.attempt_ids_of_version(deps.pool, quiz.id, cmd.version):
        attempt = load(deps, Attempt, attempt_ref, "attempt")
        shown = {e["question_id"]: e["points"] for e in attempt.layout}
        if not attempt.submitted or question_id not in shown:
            continue
        before = totals(attempt.grades)
        answer = attempt.answers.get(question_id)
        old = attempt.grades[question_id]
        new = old if answer == ERASED else grade_answer(question, answer, shown[question_id], negative)
        if attempt.regrade(question_id, new):
            changed.append(attempt)
        rows.append({
            "attempt_id": attempt.id, "student_id": attempt.student_id,
            "old_points": old["points"], "new_points": new["points"],
            "old_score": before["score"], "new_score": totals(attempt.grades)["score"],
            "max_score": before["max_score"],
        })
    return changed, rows


def _corrected(deps: Deps, actor: Actor, cmd: CorrectKey) -> tuple[Quiz, dict[str, Any], bool]:
    quiz = load(deps, Quiz, cmd.quiz_id, "quiz")
    require_quiz_manager(deps, actor, quiz)
    question = content_of(cmd.question)
    require_readable_links(deps, actor, question, "question")
    return quiz, question, quiz.correct_key(cmd.version, str(cmd.question_id), question)


def preview_key_correction(cmd: CorrectKey, actor: Actor, deps: Deps) -> Done:
    """Records nothing (the pending events are dropped)."""
    quiz, question, _ = _corrected(deps, actor, cmd)
    _, rows = _regrade(deps, quiz, cmd, question)
    return Done(0, {"rows": rows, "changed": sum(r["old_points"] != r["new_points"] for r in rows)})


def correct_key(cmd: CorrectKey, actor: Actor, deps: Deps) -> Done:
    """The corrected key is saved first, then the re-graded attempts in bounded batches
    (commands/bounded_saves.py). Should a batch fail (409), confirming again finishes the job:
    the key is already corrected and only attempts still graded the old way get events."""
    quiz, question, corrected = _corrected(deps, actor, cmd)
    changed, rows = _regrade(deps, quiz, cmd, question)
    sized = ([(quiz, len(json.dumps(question)))] if corrected else []) + [(a, REGRADED_BYTES) for a in changed]
    return Done(record_bounded(deps, sized), {"rows": rows, "changed": len(changed)})
