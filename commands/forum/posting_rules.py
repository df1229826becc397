"""What is checked before anyone posts: suspension, rate limit, anonymity, and whether
a new account's post with links waits for a moderator."""

from __future__ import annotations

import re

from commands.forum.access import ForumAccess
from commands.identity import throttle
from commands.pipeline import Actor, Deps
from domain.errors import Forbidden, InvalidInput
from domain.identity import Role
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
