"""Forum search: ranked full-text over titles and bodies, only in what the caller may open."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.forum import responses as r
from api.platform.auth import ActorDep, DepsDep
from api.platform.read_position import read_after
from commands.forum.access import readable_forums
from commands.pipeline import require_login
from projections.forum import forum as forum_projection
from projections.forum.search_queries import PostFilter, search_posts

router = APIRouter(prefix="/api/v1/forum", tags=["forum"])


@router.get("/search", response_model=r.SearchPage,
            description="Who: any logged-in person; finds only visible posts of threads they may open."
            " `q` takes web-search syntax (\"phrases\", -word, or). Best match first.")
def search(
    actor: ActorDep, deps: DepsDep, q: Annotated[str, Query(min_length=1, max_length=200)],
    forum_id: UUID | None = None, category_id: UUID | None = None,
    tag: Annotated[str | None, Query(max_length=40)] = None, author_id: UUID | None = None,
    answered: bool | None = None, language: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,3}$")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20, cursor: str | None = None,
    _: None = read_after([forum_projection]),
) -> dict[str, Any]:
    me = require_login(actor)
    readable, moderated = readable_forums(deps, actor)
    f = PostFilter(q, forum_id, category_id, tag, author_id, answered, language)
    return search_posts(deps.pool, me, readable, moderated, f, limit=limit, cursor=cursor)
