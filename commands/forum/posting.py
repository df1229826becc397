"""Starting threads, replying, editing and deleting one's own posts.

A post's body is Markdown; the read model shows it as sanitised HTML (adapters/documents/rich_text.py).
Mentions are @names in the body, resolved to people who can read the forum
(commands/forum/mentions.py).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

from pydantic import BaseModel, Field, field_validator

from commands.forum.access import forum_access, post_access, thread_access
from commands.forum.attachments import attached_media
from commands.forum.mentions import resolve_mentions
from commands.forum.posting_rules import may_post, waits_for_approval
from commands.pipeline import Actor, Deps, Done, require_login
from domain.errors import Forbidden, InvalidInput
from domain.forum import Thread, ThreadKind
from domain.forum_posts import Post, PostStatus

Body = Annotated[str, Field(min_length=1, max_length=20_000, description="Markdown")]


class ThreadContent(BaseModel):
    kind: ThreadKind = ThreadKind.DISCUSSION
    title: str = Field(min_length=1, max_length=200)
    body: Body
    category_id: UUID | None = None
    tags: list[str] = Field(default_factory=list, max_length=5)
    anonymous: bool = False

    @field_validator("tags")
    @classmethod
    def normal_tags(cls, tags: list[str]) -> list[str]:
        """Tags compare in lower case with single spaces: "Linear  Algebra" is "linear algebra"."""
        normal = [" ".join(t.lower().split()) for t in tags]
        if any(not 1 <= len(t) <= 40 for t in normal):
            raise ValueError("each tag has 1 to 40 characters")
        return list(dict.fromkeys(normal))


class StartThread(ThreadContent):
    forum_id: UUID


class ReplyContent(BaseModel):
    body: Body
    parent_id: UUID | None = Field(default=None, description="the post replied to; the opening post if none")
    quoted_post_id: UUID | None = Field(default=None, description="a post of the same thread shown as a quote")
    anonymous: bool = False


class Reply(ReplyContent):
    thread_id: UUID


class EditContent(BaseModel):
    body: Body


class EditPost(EditContent):
    post_id: UUID


class PostRef(BaseModel):
    post_id: UUID


def start_thread(cmd: StartThread, actor: Actor, deps: Deps) -> Done:
    author_id = require_login(actor)
    access = forum_access(deps, actor, cmd.forum_id)
    access.forum.require_category(cmd.category_id)
    may_post(deps, actor, access, cmd.anonymous)
    mentions = resolve_mentions(deps, cmd.forum_id, cmd.body)
    media_ids = attached_media(deps, actor, cmd.body)
    pending = waits_for_approval(deps, actor, cmd.body)
    thread_id, post_id = uuid4(), uuid4()
    thread = Thread.start(thread_id, cmd.forum_id, author_id, cmd.kind, cmd.title, cmd.category_id, cmd.tags, post_id)
    post = Post.write(post_id, thread_id, cmd.forum_id, author_id, None, None, cmd.body, cmd.anonymous, mentions,
                      media_ids, pending)
    return Done(deps.store.record(thread, post),
                {"thread_id": thread_id, "post_id": post_id, "pending": pending, **mentions.shown()})


def _in_thread(deps: Deps, actor: Actor, post_id: UUID | None, thread: Thread, field: str) -> None:
    if post_id is None:
        return
    post, post_thread, _ = post_access(deps, actor, post_id)
    if post_thread.id != thread.id or post.status == PostStatus.PENDING:
        raise InvalidInput("not a post of this thread", fields={field: "not a post of this thread"})


def reply(cmd: Reply, actor: Actor, deps: Deps) -> Done:
    author_id = require_login(actor)
    thread, access = thread_access(deps, actor, cmd.thread_id)
    thread.require_open()
    _in_thread(deps, actor, cmd.parent_id, thread, "parent_id")
    _in_thread(deps, actor, cmd.quoted_post_id, thread, "quoted_post_id")
    may_post(deps, actor, access, cmd.anonymous)
    mentions = resolve_mentions(deps, thread.forum_id, cmd.body)
    media_ids = attached_media(deps, actor, cmd.body)
    pending = waits_for_approval(deps, actor, cmd.body)
    post = Post.write(uuid4(), thread.id, thread.forum_id, author_id, cmd.parent_id or thread.opening_post_id,
                      cmd.quoted_post_id, cmd.body, cmd.anonymous, mentions, media_ids, pending)
    return Done(deps.store.record(post), {"post_id": post.id, "pending": pending, **mentions.shown()})


def _own_post(deps: Deps, actor: Actor, post_id: UUID) -> tuple[Post, Thread]:
    post, thread, _ = post_access(deps, actor, post_id)
    if post.author_id != actor.user_id:
        raise Forbidden("only the author may change a post")
    return post, thread


def edit_post(cmd: EditPost, actor: Actor, deps: Deps) -> Done:
    post, thread = _own_post(deps, actor, cmd.post_id)
    thread.require_open()
    mentions = resolve_mentions(deps, thread.forum_id, cmd.body)
    post.edit(cmd.body, mentions, attached_media(deps, actor, cmd.body))
    return Done(deps.store.record(post), mentions.shown())


def delete_post(cmd: PostRef, actor: Actor, deps: Deps) -> Done:
    post, _ = _own_post(deps, actor, cmd.post_id)
    post.delete()
    return Done(deps.store.record(post))
