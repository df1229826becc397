"""What the course-communication rules look up (issue 12, point 8): who hears a posted
announcement, who is reminded of a quiz closing or a course falling due, and who hears that a
course they are enrolled in published a new revision. Same tables and conventions as
notification_recipients.py (unqualified names, run before the event's own changes)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg

from domain.bulletins import BulletinAudience
from projections.notification.recipients import ids, when


def bulletin_audience(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """A course's active enrolments, a class's students, or every active person."""
    audience = BulletinAudience(event.audience)
    if audience == BulletinAudience.COURSE:
        cur.execute("SELECT student_id AS id FROM enrolments WHERE course_id = %s AND active ORDER BY 1",
                    (event.scope_id,))
    elif audience == BulletinAudience.CLASS:
        cur.execute("SELECT student_id AS id FROM class_students WHERE class_id = %s ORDER BY 1", (event.scope_id,))
    else:
        cur.execute("SELECT user_id AS id FROM people WHERE active ORDER BY 1")
    return ids(cur)


def bulletin(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    """The title and body are the author's personal data, and so is the place when it is a
    class's name (its teacher is the author): erasing the author blanks all three (the rule's
    `personal`), a course's title with them, which is a small loss for a safe rule."""
    audience = BulletinAudience(event.audience)
    if audience == BulletinAudience.COURSE:
        cur.execute("SELECT coalesce(title, draft_title) AS name FROM courses WHERE course_id = %s", (event.scope_id,))
    elif audience == BulletinAudience.CLASS:
        cur.execute("SELECT name FROM classes WHERE class_id = %s", (event.scope_id,))
    row = cur.fetchone() if audience != BulletinAudience.EVERYONE else None
    return {"bulletin_id": str(event.originator_id), "audience": audience.value,
            "scope_id": str(event.scope_id) if event.scope_id else None,
            "place": row["name"] if row else "SkillHub", "title": event.title, "body": event.body}


def bulletin_author(cur: psycopg.Cursor, event: Any) -> UUID:
    return event.author_id


def student_still_enrolled(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    cur.execute("SELECT student_id AS id FROM enrolments WHERE enrolment_id = %s AND active", (event.enrolment_id,))
    return ids(cur)


def due_course(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    cur.execute("SELECT coalesce(title, draft_title) AS title FROM courses WHERE course_id = %s", (event.course_id,))
    row = cur.fetchone()
    return {"course_id": str(event.course_id), "course_title": row["title"] if row else "your course",
            "due_at": when(event.due_at)}


def enrolled_in_revised_course(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """A revision of a course published before (the first publication is news to followers,
    notification_recipients.followers_of_new_course): its active enrolments, not its owner."""
    cur.execute(
        "SELECT e.student_id AS id FROM courses c JOIN enrolments e USING (course_id)"
        " WHERE c.course_id = %s AND c.published AND e.active AND e.student_id <> c.owner_id ORDER BY 1",
        (event.originator_id,))
    return ids(cur)


def revised_course(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    cur.execute("SELECT draft_title FROM courses WHERE course_id = %s", (event.originator_id,))
    return {"course_id": str(event.originator_id), "course_title": cur.fetchone()["draft_title"],
            "revision": event.revision}
