"""Reports and moderation. Anyone who reads a post may report it once; the forum's moderators
(platform moderators and admins; a course's owner; a class's teacher) hide, restore, approve,
lock, pin and move. Each action is an event whose actor is the moderator, with their reason."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel

from commands.forum.access import forum_access, post_access, require_moderator, thread_access
from commands.forum.forums import Reason
from commands.loading import find
from commands.pipeline import Actor, Deps, Done
from domain.errors import Conflict, InvalidInput, NotFound
from domain.forum_posts import Report, report_id


class FileReport(BaseModel):
    post_id: UUID
    reason: Reason


class DismissReport(BaseModel):
    report_id: UUID
    reason: Reason


class PostAction(StrEnum):
    HIDE = "hide"
    RESTORE = "restore"
    APPROVE = "approve"


class ModeratePost(BaseModel):
    post_id: UUID
    action: PostAction
    reason: Reason


class ThreadAction(StrEnum):
    LOCK = "lock"
    UNLOCK = "unlock"
    PIN = "pin"
    UNPIN = "unpin"
    MOVE = "move"


class ModerateThread(BaseModel):
    thread_id: UUID
    action: ThreadAction
    reason: Reason
    forum_id: UUID | None = None  # where to move it
    category_id: UUID | None = None


def file_report(cmd: FileReport, actor: Actor, deps: Deps) -> Done:
    post, _, _ = post_access(deps, actor, cmd.post_id)
    if find(deps, Report, report_id(post.id, actor.user_id)) is not None:
        raise Conflict("you already reported this post")
    report = Report.file(post.id, actor.user_id, cmd.reason)
    return Done(deps.store.record(report), {"report_id": report.id})


def dismiss_report(cmd: DismissReport, actor: Actor, deps: Deps) -> Done:
    report = find(deps, Report, cmd.report_id)
    if report is None:
        raise NotFound(f"report {cmd.report_id} not found")
    try:
        _, _, access = post_access(deps, actor, report.post_id)
    except NotFound:
        raise NotFound(f"report {cmd.report_id} not found") from None
    require_moderator(access)
    report.dismiss(cmd.reason)
    return Done(deps.store.record(report))


def moderate_post(cmd: ModeratePost, actor: Actor, deps: Deps) -> Done:
    post, _, access = post_access(deps, actor, cmd.post_id)
    require_moderator(access)
    {PostAction.HIDE: post.hide, PostAction.RESTORE: post.restore, PostAction.APPROVE: post.approve}[cmd.action](
        cmd.reason)
    return Done(deps.store.record(post))


def moderate_thread(cmd: ModerateThread, actor: Actor, deps: Deps) -> Done:
    thread, access = thread_access(deps, actor, cmd.thread_id)
    require_moderator(access)
    if cmd.action == ThreadAction.MOVE:
        if cmd.forum_id is None:
            raise InvalidInput("moving needs the forum to move to", fields={"forum_id": "required to move"})
        target = forum_access(deps, actor, cmd.forum_id)  # 404 for a forum the moderator cannot read
        require_moderator(target)
        target.forum.require_category(cmd.category_id)
        thread.move(cmd.forum_id, cmd.category_id, cmd.reason)
    elif cmd.action in (ThreadAction.LOCK, ThreadAction.UNLOCK):
        thread.set_locked(cmd.action == ThreadAction.LOCK, cmd.reason)
    else:
        thread.set_pinned(cmd.action == ThreadAction.PIN, cmd.reason)
    return Done(deps.store.record(thread))
