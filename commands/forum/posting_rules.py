"""What is checked before anyone posts: suspension, rate limit, anonymity, mentions, and whether
a new account's post with links waits for a moderator."""

from __future__ import annotations

import re
from uuid import UUID

from commands.identity import throttle
from commands.forum.access import ForumAccess, forum_access
from commands.loading import find
from commands.pipeline import Actor, Deps
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.identity import Role, User
from projections.forum import forum_queries

# Links to elsewhere, as Markdown or bare addresses: what spam carries. Relative links (SkillHub's
# own pages and attachments, "/api/v1/media/...") are not.
_LINK = re.compile(r"https?://|www\.|\]\s*\(\s*(?!/)|<[a-z]+:", re.IGNORECASE)
_TRUSTED_ROLES = (Role.TEACHER, Role.CREATOR, Role.MODERATOR, Role.ADMIN)


def may_post(deps: Deps, actor: Actor, access: ForumAccess, anonymous: bool) -> None:
    """Refuses a suspended person (403) or an unwanted anonymous post (422), then counts the
    post against the person's rate limit (429 with Retry-After)."""
    until = access.forum.suspension_of(actor.user_id, deps.clock())
    if until is not None:
        raise Forbidden(f"you are suspended from posting in this forum until {until.isoformat()}")
    if anonymous and not access.forum.allow_anonymous:
        raise InvalidInput("this forum does not allow anonymous posts", fields={"anonymous": "not allowed here"})
    s = deps.settings
    throttle.count_attempt(deps.pool, {f"forum-post:{actor.user_id}": s.forum_posts_per_window},
                           s.forum_post_window_seconds, "you are posting too fast; wait a little")


def waits_for_approval(deps: Deps, actor: Actor, body: str) -> bool:
    """A new account's first posts that carry links wait for a moderator; staff never wait."""
    if actor.has_role(*_TRUSTED_ROLES) or not _LINK.search(body):
        return False
    return forum_queries.visible_post_count(deps.pool, actor.user_id) < deps.settings.forum_trusted_after_posts


def checked_mentions(deps: Deps, forum_id: UUID, mentioned_ids: list[UUID]) -> list[UUID]:
    """Only people who can read the forum may be mentioned in it (a mention tells them of it)."""
    for person_id in dict.fromkeys(mentioned_ids):
        user = find(deps, User, person_id)
        readable = False
        if user is not None and user.is_active:
            try:
                forum_access(deps, Actor(user_id=user.id, roles=frozenset(user.roles)), forum_id)
                readable = True
            except NotFound:
                pass
        if not readable:
            raise InvalidInput("a mentioned person cannot read this forum",
                               fields={"mentioned_ids": f"{person_id} cannot read this forum"})
    return list(dict.fromkeys(mentioned_ids))
