"""Posting announcements: the owner of a course (or an admin) to its enrolled students, the
teacher of a class to its students, an admin to everyone. The notification rules then tell
each recipient by their preferences (inbox, e-mail, push)."""

from __future__ import annotations

from uuid import UUID, uuid4

from pydantic import BaseModel, Field

from commands.access.classroom_access import require_teacher
from commands.loading import load
from commands.pipeline import Actor, Deps, Done, require_login, require_role
from domain.bulletins import MAX_BODY, MAX_TITLE, Bulletin, BulletinAudience
from domain.catalog import Course
from domain.errors import Forbidden
from domain.identity import Role


class PostBulletin(BaseModel):
    audience: BulletinAudience
    scope_id: UUID | None = Field(None, description="the course or class; absent for everyone")
    title: str = Field(max_length=MAX_TITLE)
    body: str = Field(max_length=MAX_BODY, description="plain text")


def _may_post(cmd: PostBulletin, actor: Actor, deps: Deps) -> None:
    user_id = require_login(actor)
    if cmd.audience == BulletinAudience.EVERYONE:
        require_role(actor, [Role.ADMIN])
    elif cmd.audience == BulletinAudience.CLASS and cmd.scope_id is not None:
        require_teacher(deps, actor, cmd.scope_id)  # 404 to outsiders, 403 to its students
    elif cmd.audience == BulletinAudience.COURSE and cmd.scope_id is not None:
        course = load(deps, Course, cmd.scope_id, "course")
        if course.owner_id != user_id and not actor.has_role(Role.ADMIN):
            raise Forbidden("only the owner of the course or an admin announces to it")


def post_bulletin(cmd: PostBulletin, actor: Actor, deps: Deps) -> Done:
    _may_post(cmd, actor, deps)
    bulletin = Bulletin.post(uuid4(), require_login(actor), cmd.audience, cmd.scope_id, cmd.title, cmd.body)
    return Done(deps.store.record(bulletin), {"bulletin_id": bulletin.id})
