"""A person grades an essay with its rubric: one level per criterion, and a comment."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from commands.access.assessment_access import require_quiz_manager
from commands.loading import load
from commands.pipeline import Actor, Deps, Done
from domain.attempts import Attempt
from domain.errors import InvalidInput
from domain.quizzes import Quiz
from domain.scoring import essay_grade, rubric_fraction, totals

Comment = Annotated[str, Field(max_length=10_000)]


class GradeEssay(BaseModel):
    attempt_id: UUID
    question_id: UUID
    levels: dict[str, str] = Field(description="criterion id -> chosen level id, for every criterion")
    comment: Comment = ""


def grade_essay(cmd: GradeEssay, actor: Actor, deps: Deps) -> Done:
    """Grading again replaces the earlier grade."""
    attempt = load(deps, Attempt, cmd.attempt_id, "attempt")
    quiz = load(deps, Quiz, attempt.quiz_id, "quiz", read_only=True)
    require_quiz_manager(deps, actor, quiz)
    question_id = str(cmd.question_id)
    points = attempt.points_of(question_id)
    question = quiz.published(attempt.quiz_version)["questions"][question_id]
    if question["type"] != "essay":
        raise InvalidInput("only essays are graded by hand", fields={"question_id": f"a {question['type']} question"})
    grade = essay_grade(rubric_fraction(question, cmd.levels), points)
    attempt.grade_essay(question_id, cmd.levels, grade, cmd.comment)
    return Done(deps.store.record(attempt), {"grade": grade, "result": totals(attempt.grades)})
