"""Who may read a forum and who moderates it, decided from the aggregates (the current state,
not a read model that may lag), so leaving a course or a class takes effect with the next request.

- platform forum: every logged-in person reads; moderators and admins moderate.
- course forum: whoever may open the course's lessons (enrolled students, its owner, moderators
  and admins, commands/access/course_access.py) reads; the owner, moderators and admins moderate.
- class forum: members only (the teacher moderates, the students read); no platform role
  opens a class forum.

Outsiders get 404 for a forum, thread or post they may not read, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.access.classroom_access import ClassRole, class_role
from commands.access.course_access import REVIEWERS, reads_published_lessons
from commands.loading import find, load
from commands.pipeline import Actor, Deps, require_login
from domain.catalog import Course
from domain.errors import Forbidden, NotFound
from domain.forum import Forum, Scope, Thread
from domain.forum_posts import Post
from projections.forum import forum_queries


@dataclass(frozen=True)
class ScopeAccess:
    reads: bool
    moderates: bool


def scope_access(deps: Deps, actor: Actor, scope: Scope, scope_id: UUID | None) -> ScopeAccess:
    user_id = require_login(actor)
    if scope == Scope.PLATFORM:
        return ScopeAccess(True, actor.has_role(*REVIEWERS))
    if scope == Scope.COURSE:
        course = find(deps, Course, scope_id) if scope_id else None
        if course is None:
            return ScopeAccess(False, False)
        moderates = user_id == course.owner_id or actor.has_role(*REVIEWERS)
        return ScopeAccess(moderates or reads_published_lessons(deps, actor, course), moderates)
    try:
        _, role = class_role(deps, actor, scope_id) if scope_id else (None, None)
    except NotFound:
        return ScopeAccess(False, False)
    return ScopeAccess(role is not None, role == ClassRole.TEACHER)


@dataclass(frozen=True)
class ForumAccess:
    forum: Forum
    moderates: bool


def forum_access(deps: Deps, actor: Actor, forum_id: UUID) -> ForumAccess:
    forum = find(deps, Forum, forum_id)
    access = scope_access(deps, actor, forum.scope, forum.scope_id) if forum else None
    if forum is None or not access.reads:
        raise NotFound(f"forum {forum_id} not found")
    return ForumAccess(forum, access.moderates)


def require_moderator(access: ForumAccess) -> None:
    if not access.moderates:
        raise Forbidden("only the forum's moderators may do this")


def thread_access(deps: Deps, actor: Actor, thread_id: UUID) -> tuple[Thread, ForumAccess]:
    """A thread its reader may open: a hidden or waiting opening post hides it from others."""
    thread = find(deps, Thread, thread_id)
    if thread is None:
        raise NotFound(f"thread {thread_id} not found")
    try:
        access = forum_access(deps, actor, thread.forum_id)
    except NotFound:
        raise NotFound(f"thread {thread_id} not found") from None
    opening = load(deps, Post, thread.opening_post_id, "post")
    if not (access.moderates or _shown(opening, actor)):
        raise NotFound(f"thread {thread_id} not found")
    return thread, access


def post_access(deps: Deps, actor: Actor, post_id: UUID) -> tuple[Post, Thread, ForumAccess]:
    post = find(deps, Post, post_id)
    if post is None:
        raise NotFound(f"post {post_id} not found")
    try:
        thread, access = thread_access(deps, actor, post.thread_id)
    except NotFound:
        raise NotFound(f"post {post_id} not found") from None
    if not (access.moderates or _shown(post, actor) or post.status.value in ("hidden", "deleted")):
        raise NotFound(f"post {post_id} not found")
    return post, thread, access


def _shown(post: Post, actor: Actor) -> bool:
    return post.status.value in ("visible", "deleted") or (post.status.value == "pending"
                                                          and post.author_id == actor.user_id)


def readable_forums(deps: Deps, actor: Actor) -> tuple[list[UUID], list[UUID]]:
    """The forums the caller reads and those they moderate, for lists and search. The read
    models find the candidates; each scope is then checked as an opening would check it."""
    user_id = require_login(actor)
    reads: list[UUID] = []
    moderates: list[UUID] = []
    checked: dict[tuple[Scope, UUID | None], ScopeAccess] = {}
    for row in forum_queries.candidate_forums(deps.pool, user_id, actor.has_role(*REVIEWERS)):
        key = (Scope(row["scope"]), row["scope_id"])
        if key[0] == Scope.COURSE and actor.has_role(*REVIEWERS):
            checked[key] = ScopeAccess(True, True)  # reviewers read every course: no need to load each
        if key not in checked:
            checked[key] = scope_access(deps, actor, *key)
        if checked[key].reads:
            reads.append(row["forum_id"])
        if checked[key].moderates:
            moderates.append(row["forum_id"])
    return reads, moderates
