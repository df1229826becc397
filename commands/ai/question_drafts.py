"""Drafting questions from a lesson (offline, or with the configured chat model), and the
teacher's decision on each draft: approve (into a question bank the teacher manages, edited or
not) or reject. Drafts are not questions: no quiz can show one until it is approved."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

from pydantic import BaseModel, Field, StringConstraints

from adapters.chat_completions import ChatUnavailable, configured
from commands.ai.chat_drafts import chat_drafts, generator_name
from commands.ai.course_texts import course_text, lessons_of, require_course_author
from commands.ai.quiz_generation import GENERATOR, draft_questions
from commands.ai.text_analysis import key_concepts, language_of, plain_text
from commands.loading import load
from commands.access.media_access import require_readable_links
from commands.pipeline import Actor, Deps, Done
from commands.assessment.question_bank import managed_bank
from commands.assessment.question_specs import QuestionSpec, content_of
from domain.ai.question_drafts import QuestionDraft
from domain.errors import Forbidden, NotFound, RuleBroken
from domain.question_bank import Question


class GenerateDrafts(BaseModel):
    course_id: UUID
    lesson_id: UUID
    limit: int = Field(default=10, ge=1, le=30)
    use_chat: bool = Field(default=True, description="use the configured chat endpoint, if there is one")


class ApproveDraft(BaseModel):
    draft_id: UUID
    bank_id: UUID
    question: QuestionSpec | None = Field(default=None, description="the draft as edited; omit to keep it as drafted")


Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class RejectDraft(BaseModel):
    draft_id: UUID
    reason: Reason = ""


def generate_drafts(cmd: GenerateDrafts, actor: Actor, deps: Deps) -> Done:
    text = course_text(deps, actor, cmd.course_id, cmd.lesson_id)
    language = language_of(text.language)
    related = [f"{lesson['title']}\n\n{lesson['content']}" for lesson in lessons_of(text.course)
               if lesson["lesson_id"] != cmd.lesson_id]
    drafted, generator, fallback = [], GENERATOR, None
    if cmd.use_chat and configured(deps.settings):
        concepts = [p for other in related for p, _ in key_concepts(plain_text(other), language, top=10)]
        try:
            drafted, generator = chat_drafts(deps.settings, text.markdown, concepts, cmd.limit), generator_name(deps.settings)
        except ChatUnavailable as e:
            fallback = str(e)
        if not drafted:
            fallback = fallback or "the chat model gave no usable question"
    if not drafted:
        drafted, generator = draft_questions(text.markdown, related, language, cmd.limit), GENERATOR
    drafts = [QuestionDraft.generate(uuid4(), cmd.course_id, cmd.lesson_id, d.content, d.source_sentence,
                                     generator, text.position) for d in drafted]
    if not drafts:
        raise RuleBroken("the lesson's text gave no question: it needs full sentences stating its key concepts")
    position = deps.store.record(*drafts)
    return Done(position, {"draft_ids": [d.id for d in drafts], "generator": generator, "fallback_reason": fallback})


def managed_draft(deps: Deps, actor: Actor, draft_id: UUID) -> QuestionDraft:
    """The draft, if the caller writes its course (else 404, as if it did not exist)."""
    draft = load(deps, QuestionDraft, draft_id, "question draft")
    try:
        require_course_author(deps, actor, draft.course_id)
    except (Forbidden, NotFound):
        raise NotFound(f"question draft {draft_id} not found") from None
    return draft


def approve_draft(cmd: ApproveDraft, actor: Actor, deps: Deps) -> Done:
    """The draft becomes a question of a bank the teacher manages, in the same commit."""
    draft = managed_draft(deps, actor, cmd.draft_id)
    managed_bank(deps, actor, cmd.bank_id)
    content = draft.content if cmd.question is None else content_of(cmd.question)
    require_readable_links(deps, actor, content, "question")
    question = Question.create(uuid4(), cmd.bank_id, content)
    draft.approve(question.id, cmd.bank_id, content)
    return Done(deps.store.record(draft, question), {"question_id": question.id})


def reject_draft(cmd: RejectDraft, actor: Actor, deps: Deps) -> Done:
    draft = managed_draft(deps, actor, cmd.draft_id)
    draft.reject(cmd.reason)
    return Done(deps.store.record(draft))
