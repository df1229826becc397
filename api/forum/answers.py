"""Up-votes, accepted answers and endorsements."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from api.forum import responses as r
from api.platform.auth import ActorDep, DepsDep, run
from commands.forum import answers

router = APIRouter(prefix="/api/v1/forum", tags=["forum"])


@router.put("/posts/{post_id}/vote", response_model=r.Written,
            description="Who: whoever reads the post, not its author. One up-vote each.")
def vote(post_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(answers.vote, answers.PostRef(post_id=post_id), actor, deps, response)


@router.delete("/posts/{post_id}/vote", response_model=r.Written,
               description="Who: the voter. Withdraws their up-vote.")
def withdraw_vote(post_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(answers.withdraw_vote, answers.PostRef(post_id=post_id), actor, deps, response)


@router.put("/threads/{thread_id}/accepted-answer/{post_id}", response_model=r.Written,
            description="Who: the asker, and the forum's"
            " teachers and moderators. Replaces an earlier accepted answer.")
def accept(thread_id: UUID, post_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(answers.accept, answers.Accept(thread_id=thread_id, post_id=post_id), actor, deps, response)


@router.delete("/threads/{thread_id}/accepted-answer", response_model=r.Written,
               description="Who: the asker, and the forum's teachers and"
               " moderators.")
def unaccept(thread_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(answers.unaccept, answers.ThreadRef(thread_id=thread_id), actor, deps, response)


@router.put("/posts/{post_id}/endorsement", response_model=r.Written,
            description="Who: the forum's teachers and moderators.")
def endorse(post_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(answers.endorse, answers.PostRef(post_id=post_id), actor, deps, response)


@router.delete("/posts/{post_id}/endorsement", response_model=r.Written,
               description="Who: the forum's teachers and moderators.")
def unendorse(post_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(answers.unendorse, answers.PostRef(post_id=post_id), actor, deps, response)
