"""Quizzes: create for a class or a course, edit the draft, publish a frozen version."""

from __future__ import annotations

import json
from typing import Any, Self
from uuid import UUID, uuid4

from pydantic import BaseModel, model_validator

from commands.access.assessment_access import (
    QuizRole,
    quiz_role,
    require_audience_manager,
    require_bank_manager,
    require_quiz_manager,
)
from commands.assessment.quiz_settings import QuizSettings, frozen_settings
from commands.loading import load
from commands.pipeline import Actor, Deps, Done
from domain.errors import Forbidden, InvalidInput
from domain.question_bank import Question, QuestionBank
from domain.quiz_layout import partition_pools
from domain.quizzes import Audience, Quiz
from projections.assessment import question_bank_queries

MAX_VERSION_BYTES = 256 * 1024


class CreateQuiz(QuizSettings):
    class_id: UUID | None = None
    course_id: UUID | None = None

    @model_validator(mode="after")
    def one_audience(self) -> Self:
        if (self.class_id is None) == (self.course_id is None):
            raise ValueError("give either class_id or course_id")
        return self


class EditQuiz(BaseModel):
    quiz_id: UUID
    settings: QuizSettings


class QuizRef(BaseModel):
    quiz_id: UUID


def quiz_for(deps: Deps, actor: Actor, quiz_id: UUID) -> tuple[Quiz, QuizRole]:
    """The quiz and the caller's role in it; 404 for outsiders (and for students before it is published)."""
    quiz = load(deps, Quiz, quiz_id, "quiz")
    return quiz, quiz_role(deps, actor, quiz)


def require_quiz_reader(deps: Deps, actor: Actor, quiz_id: UUID) -> Quiz:
    """Reports and everyone's attempts: the quiz's teacher or course owner, admins and auditors."""
    quiz, role = quiz_for(deps, actor, quiz_id)
    if role == QuizRole.TAKER:
        raise Forbidden("only the quiz's teacher sees this")
    return quiz


def create_quiz(cmd: CreateQuiz, actor: Actor, deps: Deps) -> Done:
    audience, audience_id = (Audience.CLASS, cmd.class_id) if cmd.class_id else (Audience.COURSE, cmd.course_id)
    require_audience_manager(deps, actor, audience, audience_id)
    settings = QuizSettings.model_validate(cmd.model_dump(exclude={"class_id", "course_id"}))
    quiz = Quiz.create(uuid4(), audience, audience_id, settings.as_event_data())
    return Done(deps.store.record(quiz), {"quiz_id": quiz.id})


def edit_quiz(cmd: EditQuiz, actor: Actor, deps: Deps) -> Done:
    """Changes the draft; students keep seeing the published version until the next publication."""
    quiz = load(deps, Quiz, cmd.quiz_id, "quiz")
    require_quiz_manager(deps, actor, quiz)
    quiz.edit(cmd.settings.as_event_data())
    return Done(deps.store.record(quiz))


class _Questions:
    """Loads questions for a publication, checking the publisher manages their banks."""

    def __init__(self, deps: Deps, actor: Actor) -> None:
        self.deps, self.actor, self.banks_checked = deps, actor, set()
        self.content: dict[str, dict[str, Any]] = {}

    def bank(self, bank_id: UUID) -> None:
        if bank_id not in self.banks_checked:
            require_bank_manager(self.deps, self.actor, load(self.deps, QuestionBank, bank_id, "question bank"))
            self.banks_checked.add(bank_id)

    def take(self, question_id: UUID, field: str) -> str:
        question = load(self.deps, Question, question_id, "question")
        self.bank(question.bank_id)
        if question.retired:
            raise InvalidInput(f"question {question_id} is retired", fields={field: "retired question"})
        self.content[str(question_id)] = question.content
        return str(question_id)


def build_snapshot(deps: Deps, actor: Actor, settings: dict[str, Any]) -> dict[str, Any]:
    questions = _Questions(deps, actor)
    items = [
        {"question_id": questions.take(UUID(i["question_id"]), f"items.{n}.question_id"), "points": i["points"]}
        for n, i in enumerate(settings["items"])
    ]
    candidates = []
    for draw in settings["draws"]:
        questions.bank(UUID(draw["bank_id"]))
        candidates.append([str(q) for q in question_bank_queries.questions_with_skill(deps.pool, UUID(draw["bank_id"]), draw["skill"])])
    pools = partition_pools([i["question_id"] for i in items], settings["draws"], candidates)
    for pool in pools:
        for question_id in pool:
            questions.take(UUID(question_id), "draws")
    snapshot = {
        "settings": frozen_settings(settings),
        "items": items,
        "draws": [{**draw, "pool": pool} for draw, pool in zip(settings["draws"], pools, strict=True)],
        "questions": questions.content,
    }
    # Every answer loads the version, and one oversized event can stall the store (bounded_saves.py).
    size = len(json.dumps(snapshot))
    if size > MAX_VERSION_BYTES:
        raise InvalidInput(
            f"a quiz version may hold at most {MAX_VERSION_BYTES // 1024} KiB of questions; this one needs"
            f" {size // 1024} KiB: use fewer or shorter questions, or smaller draw pools",
            fields={"items": "too much question content", "draws": "too much question content"},
        )
    return snapshot


def publish_quiz(cmd: QuizRef, actor: Actor, deps: Deps) -> Done:
    """Freezes the settings and a copy of every question the quiz may show as a new version."""
    quiz = load(deps, Quiz, cmd.quiz_id, "quiz")
    require_quiz_manager(deps, actor, quiz)
    version = quiz.publish(build_snapshot(deps, actor, quiz.settings))
    return Done(deps.store.record(quiz), {"version": version})
