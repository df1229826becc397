"""Who may read a media file that question texts link: whoever manages a bank whose question
links it now, and whoever may open a quiz one of whose published versions shows it (its
students once published, its manager, auditors; commands/access/assessment_access.py). The read model
only finds candidate questions and quizzes; the aggregates have the last word, so a student
removed from the class loses the file with the very next request."""

from __future__ import annotations

import json
from uuid import UUID

from adapters.documents.rich_text import linked_media
from commands.access.assessment_access import quiz_role, require_bank_manager
from commands.loading import find
from commands.pipeline import Actor, Deps
from domain.errors import NotFound
from domain.question_bank import Question, QuestionBank
from domain.quizzes import Quiz
from projections.assessment import question_media_queries


def _manages_question(deps: Deps, actor: Actor, question_id: UUID, media_id: UUID) -> bool:
    question = find(deps, Question, question_id)
    if question is None or media_id not in linked_media(json.dumps(question.content)):
        return False
    bank = find(deps, QuestionBank, question.bank_id)
    if bank is None:
        return False
    try:
        require_bank_manager(deps, actor, bank)
    except NotFound:
        return False
    return True


def _opens_quiz(deps: Deps, actor: Actor, quiz_id: UUID, media_id: UUID) -> bool:
    quiz = find(deps, Quiz, quiz_id)
    if quiz is None or not any(media_id in linked_media(json.dumps(v)) for v in quiz.versions.values()):
        return False
    try:
        quiz_role(deps, actor, quiz)
    except NotFound:
        return False
    return True


def may_read_media(deps: Deps, actor: Actor, media_id: UUID) -> bool:
    for row in question_media_queries.holders_of(deps.pool, media_id):
        if row["holder"] == "question" and _manages_question(deps, actor, row["holder_id"], media_id):
            return True
        if row["holder"] == "quiz" and _opens_quiz(deps, actor, row["holder_id"], media_id):
            return True
    return False
