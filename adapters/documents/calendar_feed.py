"""A person's calendar as an iCalendar (RFC 5545) document, written with the `icalendar` library."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from icalendar import Calendar, Event

PRODUCT_ID = "-//SkillHub//Calendar feed//EN"


class FeedEntry(Protocol):  # projections.notification.calendar_sources.CalendarEntry
    uid: str
    summary: str
    start: datetime
    end: datetime | None
    description: str
    updated_at: datetime


def to_ics(entries: Iterable[FeedEntry], now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "SkillHub")
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", now)
        event.add("last-modified", entry.updated_at)
        event.add("summary", entry.summary)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end or entry.start)  # a due date is a moment
        event.add("description", entry.description)
        event.add("transp", "TRANSPARENT")  # it does not make the person busy
        calendar.add_component(event)
    return calendar.to_ical()
