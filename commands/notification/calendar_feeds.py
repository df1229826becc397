"""A person's calendar feed URL: issued (or issued anew, which ends the old URL) and revoked by
the person themselves. The secret is returned once and kept nowhere but in the URL."""

from __future__ import annotations

from pydantic import BaseModel

from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_login
from domain.calendar_feeds import CalendarFeed, feed_id
from domain.errors import NotFound


class NoInput(BaseModel):
    pass


def issue_calendar_feed(cmd: NoInput, actor: Actor, deps: Deps) -> Done:
    person_id = require_login(actor)
    feed = find(deps, CalendarFeed, feed_id(person_id)) or CalendarFeed.open(person_id)
    secret = feed.issue()
    return Done(deps.store.record(feed), {"feed_id": feed.id, "secret": secret})


def revoke_calendar_feed(cmd: NoInput, actor: Actor, deps: Deps) -> Done:
    person_id = require_login(actor)
    feed = find(deps, CalendarFeed, feed_id(person_id))
    if feed is None:
        raise NotFound("there is no calendar feed to revoke")
    feed.revoke()
    return Done(deps.store.record(feed), {"feed_id": feed.id, "revoked": True})
