"""What a person's calendar shows, gathered from the read models by a small registry of
sources: each source is a function (connection, person id) -> entries, registered with
`@calendar_source(name)`. Due dates of assigned courses and quiz windows are here; live
sessions (issue 12's "later") add one function reading their own read model, nothing else.

A source shows only what the person may see: their own enrolments, the quizzes of classes
they belong to or teach and of courses they are enrolled in or own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import psycopg

from domain.quizzes import moment


@dataclass(frozen=True)
class CalendarEntry:
    uid: str  # stable across reads, so calendar apps update an entry instead of adding one
    summary: str
    start: datetime
    end: datetime | None  # None: a moment (a due date), not a span
    description: str
    updated_at: datetime


CalendarSource = Callable[[psycopg.Connection, UUID], list[CalendarEntry]]
SOURCES: dict[str, CalendarSource] = {}


def calendar_source(name: str) -> Callable[[CalendarSource], CalendarSource]:
    def register(source: CalendarSource) -> CalendarSource:
        SOURCES[name] = source
        return source

    return register


def entries_for(conn: psycopg.Connection, person_id: UUID) -> list[CalendarEntry]:
    return sorted((e for source in SOURCES.values() for e in source(conn, person_id)), key=lambda e: (e.start, e.uid))


@calendar_source("course_due_dates")
def course_due_dates(conn: psycopg.Connection, person_id: UUID) -> list[CalendarEntry]:
    """Each due date of a course assigned to the person, until they complete or leave it."""
    rows = conn.execute(
        "SELECT e.enrolment_id, e.course_id, a.due_at, a.assigned_at, coalesce(c.title, 'A course') AS title"
        " FROM view_enrolment.enrolments e JOIN view_enrolment.assignments a USING (enrolment_id)"
        " LEFT JOIN view_catalog.courses c ON c.course_id = e.course_id"
        " WHERE e.student_id = %s AND e.active AND e.completed_at IS NULL AND a.due_at IS NOT NULL",
        (person_id,)).fetchall()
    return [CalendarEntry(f"due-{r['enrolment_id']}-{r['due_at']:%Y%m%dT%H%M%S}@skillhub", f"Due: {r['title']}",
                          r["due_at"], None, f"The course {r['title']} assigned to you is due.", r["assigned_at"])
            for r in rows]


@calendar_source("quiz_windows")
def quiz_windows(conn: psycopg.Connection, person_id: UUID) -> list[CalendarEntry]:
    """The newest published version's opening and close of each quiz of the person's classes
    (as student or teacher) and courses (enrolled or owned)."""
    rows = conn.execute(
        "SELECT q.quiz_id, v.snapshot->'settings' AS s, v.published_at FROM view_quizzes.quizzes q"
        " JOIN view_quizzes.versions v ON v.quiz_id = q.quiz_id AND v.version = q.latest_version"
        " WHERE q.audience_id IN ("
        "  SELECT class_id FROM view_classroom.members WHERE student_id = %(p)s AND removed_at IS NULL"
        "  UNION SELECT class_id FROM view_classroom.classes WHERE teacher_id = %(p)s"
        "  UNION SELECT course_id FROM view_enrolment.enrolments WHERE student_id = %(p)s AND active"
        "  UNION SELECT course_id FROM view_catalog.courses WHERE owner_id = %(p)s)",
        {"p": person_id}).fetchall()
    entries = []
    for r in rows:
        opens, closes, title = moment(r["s"].get("opens_at")), moment(r["s"].get("closes_at")), r["s"].get("title", "")
        if opens is None and closes is None:
            continue  # always open: nothing to put in a calendar
        summary = f"Quiz: {title}" if opens and closes else f"Quiz {'opens' if opens else 'closes'}: {title}"
        entries.append(CalendarEntry(f"quiz-{r['quiz_id']}@skillhub", summary, opens or closes,
                                     closes if opens else None, _window(opens, closes), r["published_at"]))
    return entries


def _window(opens: datetime | None, closes: datetime | None) -> str:
    parts = ([f"Opens {opens.astimezone(UTC):%Y-%m-%d %H:%M} UTC."] if opens else []) + (
        [f"Closes {closes.astimezone(UTC):%Y-%m-%d %H:%M} UTC."] if closes else [])
    return " ".join(parts)
