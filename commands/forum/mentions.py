"""Whom a post's @names mention (adapters/documents/mentions.py says what a name is).

A name finds the active people whose handle it is (from the identity read model) and keeps those
who can read the forum, checked against the aggregates as opening the forum would be: a mention
tells them of the post. Exactly one such person: mentioned. Nobody (an unknown name, an erased or
deactivated person, someone outside the forum) or several people with the same handle: the name
stays plain text and nobody is told; the answer lists it under `unresolved_mentions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from adapters.documents.mentions import MAX_MENTIONS, handle_of
from adapters.documents.rich_text import mentioned_names
from commands.forum.access import forum_access
from commands.loading import find
from commands.pipeline import Actor, Deps
from domain.errors import InvalidInput, NotFound
from domain.identity import User


@dataclass(frozen=True)
class Mentions:
    names: list[str] = field(default_factory=list)  # handles, aligned with ids
    ids: list[UUID] = field(default_factory=list)
    unresolved: list[dict[str, str]] = field(default_factory=list)

    def shown(self) -> dict[str, object]:
        """What a command's answer says about them."""
        return {"mentioned_ids": self.ids, "unresolved_mentions": self.unresolved}


def _people_named(deps: Deps, names: list[str]) -> dict[str, list[UUID]]:
    with deps.pool.connection() as conn:
        rows = conn.execute(
            "SELECT user_id, display_name FROM view_identity.users WHERE status = 'active'"
            " AND lower(regexp_replace(btrim(display_name), '\\s+', '_', 'g')) = ANY(%s)", (names,)).fetchall()
    found: dict[str, list[UUID]] = {}
    for row in rows:
        if (handle := handle_of(row["display_name"])) in names:
            found.setdefault(handle, []).append(row["user_id"])
    return found


def _reads(deps: Deps, person_id: UUID, forum_id: UUID) -> bool:
    user = find(deps, User, person_id, read_only=True)
    if user is None or not user.is_active:
        return False
    try:
        forum_access(deps, Actor(user_id=user.id, roles=frozenset(user.roles)), forum_id)
    except NotFound:
        return False
    return True


def resolve_mentions(deps: Deps, forum_id: UUID, body: str) -> Mentions:
    names = mentioned_names(body)
    if not names:
        return Mentions()
    if len(names) > MAX_MENTIONS:
        raise InvalidInput(f"a post may mention at most {MAX_MENTIONS} people",
                           fields={"body": f"mentions {len(names)} names"})
    candidates = _people_named(deps, names)
    mentions = Mentions()
    for name in names:
        readers = [p for p in candidates.get(name, []) if _reads(deps, p, forum_id)]
        if len(readers) == 1:
            mentions.names.append(name)
            mentions.ids.append(readers[0])
        else:
            mentions.unresolved.append({"name": name, "reason": "ambiguous" if readers else "unknown"})
    return mentions
