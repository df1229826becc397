"""Questions and answers: up-votes, accepting an answer (the asker or a moderator of the forum,
which includes the course's or class's teacher), and teachers' endorsements."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from commands.forum.access import post_access, require_moderator, thread_access
from commands.loading import find
from commands.pipeline import Actor, Deps, Done
from domain.errors import Forbidden, InvalidInput, RuleBroken
from domain.forum_posts import Post, PostStatus, Vote, vote_id


class PostRef(BaseModel):
    post_id: UUID


class Accept(BaseModel):
    thread_id: UUID
    post_id: UUID


class ThreadRef(BaseModel):
    thread_id: UUID


def vote(cmd: PostRef, actor: Actor, deps: Deps) -> Done:
    post, _, _ = post_access(deps, actor, cmd.post_id)
    if post.status != PostStatus.VISIBLE:
        raise RuleBroken(f"the post is {post.status.value}")
    if post.author_id == actor.user_id:
        raise RuleBroken("you cannot vote for your own post")
    existing = find(deps, Vote, vote_id(post.id, actor.user_id))
    if existing is None:
        existing = Vote.cast(post.id, actor.user_id)
    else:
        existing.recast()
    return Done(deps.store.record(existing))


def withdraw_vote(cmd: PostRef, actor: Actor, deps: Deps) -> Done:
    post_access(deps, actor, cmd.post_id)
    existing = find(deps, Vote, vote_id(cmd.post_id, actor.user_id))
    if existing is None:
        raise RuleBroken("you have not voted for this post")
    existing.withdraw()
    return Done(deps.store.record(existing))


def accept(cmd: Accept, actor: Actor, deps: Deps) -> Done:
    thread, access = thread_access(deps, actor, cmd.thread_id)
    if thread.author_id != actor.user_id and not access.moderates:
        raise Forbidden("only the asker or the forum's teachers and moderators accept an answer")
    answer = find(deps, Post, cmd.post_id)
    if answer is None or answer.thread_id != thread.id or answer.status != PostStatus.VISIBLE:
        raise InvalidInput("not a visible answer in this thread", fields={"post_id": "not an answer here"})
    thread.accept(answer.id)
    return Done(deps.store.record(thread))


def unaccept(cmd: ThreadRef, actor: Actor, deps: Deps) -> Done:
    thread, access = thread_access(deps, actor, cmd.thread_id)
    if thread.author_id != actor.user_id and not access.moderates:
        raise Forbidden("only the asker or the forum's teachers and moderators accept an answer")
    thread.unaccept()
    return Done(deps.store.record(thread))


def set_endorsement(endorsed: bool):  # noqa: ANN201 (a handler)
    def endorse(cmd: PostRef, actor: Actor, deps: Deps) -> Done:
        post, _, access = post_access(deps, actor, cmd.post_id)
        require_moderator(access)
        post.set_endorsed(endorsed)
        return Done(deps.store.record(post))

    return endorse


endorse, unendorse = set_endorsement(True), set_endorsement(False)
