"""Announcements people post (notification context): a teacher to a course they own or a class
they teach, an admin to everyone. Called bulletins in code, to keep them apart from the timed
notices the system records (domain/announcements.py).

The title and body are text a person wrote: personal data of the author, sealed with their key,
so erasing the author blanks them everywhere (the log, the inbox, mails not yet sent).
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from domain.errors import InvalidInput
from domain.event_conventions import Root

MAX_TITLE, MAX_BODY = 200, 20_000


class BulletinAudience(StrEnum):
    COURSE = "course"  # the course's active enrolments
    CLASS = "class"  # the class's students
    EVERYONE = "everyone"  # every active person (admins only)


def check_bulletin(audience: BulletinAudience, scope_id: UUID | None, title: str, body: str) -> None:
    bad = {}
    if (audience == BulletinAudience.EVERYONE) != (scope_id is None):
        bad["scope_id"] = "required for a course or class, absent for everyone"
    if not title.strip() or len(title) > MAX_TITLE:
        bad["title"] = f"must have 1 to {MAX_TITLE} characters"
    if not body.strip() or len(body) > MAX_BODY:
        bad["body"] = f"must have 1 to {MAX_BODY} characters"
    if bad:
        raise InvalidInput("the announcement is not valid", fields=bad)


class Bulletin(Root):
    class Posted(Root.Created):
        author_id: UUID
        audience: str
        scope_id: UUID | None
        title: str
        body: str
        personal_fields = ("title", "body")
        personal_subject = "author_id"

        def apply(self, b: Bulletin) -> None:
            b.author_id, b.audience, b.scope_id = self.author_id, BulletinAudience(self.audience), self.scope_id

    @classmethod
    def post(cls, bulletin_id: UUID, author_id: UUID, audience: BulletinAudience, scope_id: UUID | None,
             title: str, body: str) -> Bulletin:
        check_bulletin(audience, scope_id, title, body)
        return cls._create(cls.Posted, id=bulletin_id, author_id=author_id, audience=audience.value,
                           scope_id=scope_id, title=title.strip(), body=body.strip())
