"""Question banks and questions: a teacher's own bank or a course's bank, written by whoever
owns it (commands/access/assessment_access.py)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

from pydantic import BaseModel, Field, StringConstraints

from commands.access.assessment_access import require_bank_manager, require_bank_owner
from commands.access.media_access import require_readable_links
from commands.assessment.question_specs import QuestionSpec, content_of
from commands.loading import load
from commands.pipeline import Actor, Deps, Done, require_login
from domain.question_bank import BankOwner, Question, QuestionBank

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CreateBank(BaseModel):
    title: Title
    course_id: UUID | None = Field(default=None, description="a course's bank; without it, the caller's own bank")


class RenameBank(BaseModel):
    bank_id: UUID
    title: Title


class AddQuestion(BaseModel):
    bank_id: UUID
    question: QuestionSpec


class ReviseQuestion(BaseModel):
    question_id: UUID
    question: QuestionSpec


class QuestionRef(BaseModel):
    question_id: UUID


def create_bank(cmd: CreateBank, actor: Actor, deps: Deps) -> Done:
    if cmd.course_id is None:
        kind, owner_id = BankOwner.TEACHER, require_login(actor)
    else:
        kind, owner_id = BankOwner.COURSE, cmd.course_id
    require_bank_owner(deps, actor, kind, owner_id)
    bank = QuestionBank.create(uuid4(), kind, owner_id, cmd.title)
    return Done(deps.store.record(bank), {"bank_id": bank.id})


def managed_bank(deps: Deps, actor: Actor, bank_id: UUID) -> QuestionBank:
    """The bank, if the caller manages it (else 404, as if it did not exist)."""
    bank = load(deps, QuestionBank, bank_id, "question bank")
    require_bank_manager(deps, actor, bank)
    return bank


def rename_bank(cmd: RenameBank, actor: Actor, deps: Deps) -> Done:
    bank = managed_bank(deps, actor, cmd.bank_id)
    bank.rename(cmd.title)
    return Done(deps.store.record(bank))


def managed_question(deps: Deps, actor: Actor, question_id: UUID) -> Question:
    question = load(deps, Question, question_id, "question")
    managed_bank(deps, actor, question.bank_id)
    return question


def add_question(cmd: AddQuestion, actor: Actor, deps: Deps) -> Done:
    managed_bank(deps, actor, cmd.bank_id)
    content = content_of(cmd.question)
    require_readable_links(deps, actor, content, "question")
    question = Question.create(uuid4(), cmd.bank_id, content)
    return Done(deps.store.record(question), {"question_id": question.id})


def revise_question(cmd: ReviseQuestion, actor: Actor, deps: Deps) -> Done:
    """Published quizzes keep the content they copied; the next publication takes this one."""
    question = managed_question(deps, actor, cmd.question_id)
    content = content_of(cmd.question)
    require_readable_links(deps, actor, content, "question")
    question.revise(content)
    return Done(deps.store.record(question), {"revision": question.revision})


def retire_question(cmd: QuestionRef, actor: Actor, deps: Deps) -> Done:
    """A retired question is no longer offered to new quiz versions."""
    question = managed_question(deps, actor, cmd.question_id)
    question.retire()
    return Done(deps.store.record(question))
