"""Course communication: announcements to a course, a class or everyone (told through the
notification channels), and each person's calendar feed (due dates, quiz windows) as an
iCalendar document at a secret URL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Response

from adapters.documents.calendar_feed import to_ics
from api.notification.responses import (
    BulletinPosted,
    FeedIssued,
    FeedRevoked,
    FeedState,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.media_types import ICALENDAR, answers
from api.platform.read_position import read_after
from commands.notification import bulletins, calendar_feeds
from commands.pipeline import require_login
from domain.errors import NotFound
from projections.notification import calendar_queries
from projections.notification.calendar import calendar

router = APIRouter(prefix="/api/v1", tags=["communication"])
FEED_PATH = "/api/v1/calendar-feeds/{secret}.ics"


@router.post("/announcements", status_code=201, response_model=BulletinPosted, description="Who: the owner of a course or an admin (audience"
             " `course`), the teacher of a class (`class`), admins (`everyone`). Recipients are told by their"
             " preferences for the type `announcement`. 404 for a course or class that does not exist or"
             " (classes) that the caller is not in; 403 for one they may not announce to.")
def post_announcement(body: bulletins.PostBulletin, actor: ActorDep, deps: DepsDep,
                      response: Response) -> dict[str, Any]:
    return run(bulletins.post_bulletin, body, actor, deps, response)


@router.post("/me/calendar-feed", status_code=201, response_model=FeedIssued, description="Who: any logged-in person, for themselves. A new"
             " secret feed URL (shown this once); an earlier URL stops working.")
def issue_calendar_feed(actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    done = run(calendar_feeds.issue_calendar_feed, calendar_feeds.NoInput(), actor, deps, response)
    secret = done.pop("secret")
    path = FEED_PATH.format(secret=secret)
    return {**done, "path": path, "url": deps.settings.public_url.rstrip("/") + path}


@router.get("/me/calendar-feed", response_model=FeedState, description="Who: any logged-in person. Whether they have a working feed URL"
            " (the URL itself is never shown again).")
def calendar_feed_state(actor: ActorDep, deps: DepsDep, _: None = read_after([calendar])) -> dict[str, Any]:
    return {"active": calendar_queries.has_feed(deps.pool, require_login(actor))}


@router.delete("/me/calendar-feed", response_model=FeedRevoked, description="Who: any logged-in person, for themselves. The feed URL stops"
               " working; 404 when there is none.")
def revoke_calendar_feed(actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(calendar_feeds.revoke_calendar_feed, calendar_feeds.NoInput(), actor, deps, response)


@router.get(FEED_PATH.removeprefix("/api/v1"), response_class=Response, description="Who: whoever holds the"
            " secret URL (calendar apps cannot log in). 404 for a secret that is unknown, replaced or revoked.",
            responses=answers(ICALENDAR))
def calendar_feed(secret: str, deps: DepsDep) -> Response:
    entries = calendar_queries.calendar_of_secret(deps.pool, secret)
    if entries is None:
        raise NotFound("no such calendar feed")
    return Response(to_ics(entries, datetime.now(UTC)), media_type="text/calendar; charset=utf-8")
