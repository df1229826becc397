"""Question drafts from a lesson's text, for its author to approve or reject; explanations of a
wrong answer for the student (docs/ai_tools.md)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from api.ai.responses import Draft, DraftApproved, DraftsGenerated, Explanation
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Page, Recorded
from api.platform.read_position import read_after
from commands.ai import question_drafts as draft_commands
from commands.ai.course_texts import require_course_author
from commands.ai.explanations import ExplainAnswer, explain_answer
from commands.assessment.question_specs import QuestionSpec
from projections.ai_content import queries
from projections.ai_content.projection import ai_content
from projections.engine.tracking import NotCaughtUp

router = APIRouter(prefix="/api/v1", tags=["personalization"])
WHO = "Who: the course's author (its owner) and admins; anyone else 404."
Limit = Annotated[int, Query(ge=1, le=100)]


class GenerateBody(BaseModel):
    limit: int = Field(default=10, ge=1, le=30)
    use_chat: bool = True


class ApproveBody(BaseModel):
    bank_id: UUID
    question: QuestionSpec | None = None


class RejectBody(BaseModel):
    reason: draft_commands.Reason = ""


@router.post("/courses/{course_id}/lessons/{lesson_id}/question-drafts", response_model=DraftsGenerated, status_code=201, description=(
    f"{WHO} Draft questions from the lesson's text: offline, or with the configured chat endpoint. Drafts are"
    " not questions: no student sees one until it is approved."))
def generate(course_id: UUID, lesson_id: UUID, body: GenerateBody, actor: ActorDep, deps: DepsDep,
             response: Response) -> dict[str, Any]:
    cmd = draft_commands.GenerateDrafts(course_id=course_id, lesson_id=lesson_id, **body.model_dump())
    return run(draft_commands.generate_drafts, cmd, actor, deps, response)


@router.get("/courses/{course_id}/question-drafts", response_model=Page[Draft], dependencies=[read_after([ai_content])], description=(
    f"{WHO} Drafts of the course, oldest first, with the sentence each came from and its generator."))
def list_drafts(course_id: UUID, actor: ActorDep, deps: DepsDep, lesson_id: UUID | None = None,
                status: Literal["draft", "approved", "rejected"] | None = None, limit: Limit = 50,
                cursor: str | None = None) -> dict[str, Any]:
    require_course_author(deps, actor, course_id)
    return queries.drafts(deps.pool, course_id, lesson_id, status, limit, cursor)


@router.get("/question-drafts/{draft_id}", response_model=Draft, dependencies=[read_after([ai_content])], description=WHO)
def get_draft(draft_id: UUID, actor: ActorDep, deps: DepsDep) -> dict[str, Any]:
    draft_commands.managed_draft(deps, actor, draft_id)
    found = queries.draft(deps.pool, draft_id)
    if found is None:  # the aggregate exists; its read model has not caught up
        raise NotCaughtUp(f"draft {draft_id} is not in the read model yet; pass min_position or retry")
    return found


@router.post("/question-drafts/{draft_id}/approval", response_model=DraftApproved, description=(
    f"{WHO} The draft (or `question`, its edited version) becomes a question of a bank the caller manages."))
def approve(draft_id: UUID, body: ApproveBody, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = draft_commands.ApproveDraft(draft_id=draft_id, bank_id=body.bank_id, question=body.question)
    return run(draft_commands.approve_draft, cmd, actor, deps, response)


@router.post("/question-drafts/{draft_id}/rejection", response_model=Recorded, description=WHO)
def reject(draft_id: UUID, body: RejectBody, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(draft_commands.reject_draft, draft_commands.RejectDraft(draft_id=draft_id, reason=body.reason),
               actor, deps, response)


@router.post("/attempts/{attempt_id}/questions/{question_id}/explanation", response_model=Explanation, description=(
    "Who: the attempt's student, once the question's answer key is released, for an answer without full credit."
    " Needs the chat endpoint (SKILLHUB_AI_CHAT_URL); without one, 409 and nothing is called."))
def explain(attempt_id: UUID, question_id: Annotated[str, Path(max_length=40)], actor: ActorDep, deps: DepsDep) -> dict[str, Any]:
    return explain_answer(ExplainAnswer(attempt_id=attempt_id, question_id=question_id), actor, deps)
