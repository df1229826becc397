"""What the notification rules need to know of quizzes and attempts: each quiz's audience, each
published version's title and schedule, and each attempt's student and grades; and the
lookups the quiz rules make in them.

Part of the notification projection (projections/notification/decisions.py merges it). Publishing a
version schedules its timed notices: "opens soon" before the newest version's opens_at, and
for quizzes that show results after the close, their release at the quiz's latest close
across its versions (domain.quizzes.feedback_released)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from domain.announcements import AnnouncementKind
from domain.attempts import Attempt
from domain.quizzes import Audience, FeedbackMode, Quiz, moment
from domain.scoring import totals
from projections.engine.engine import Projection
from projections.notification import timed
from projections.notification.recipients import ids, when

quiz_state = Projection(
    name="notification",
    tables=[
        "CREATE TABLE IF NOT EXISTS quizzes (quiz_id uuid PRIMARY KEY, audience text NOT NULL, audience_id uuid NOT NULL)",
        """CREATE TABLE IF NOT EXISTS quiz_versions (
            quiz_id uuid NOT NULL, version int NOT NULL, title text NOT NULL, feedback_mode text NOT NULL,
            opens_at timestamptz, closes_at timestamptz, PRIMARY KEY (quiz_id, version))""",
        """CREATE TABLE IF NOT EXISTS attempts (
            attempt_id uuid PRIMARY KEY, quiz_id uuid NOT NULL, quiz_version int NOT NULL,
            student_id uuid NOT NULL, submitted boolean NOT NULL, grades jsonb NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS attempts_quiz ON attempts (quiz_id) WHERE submitted",
    ],
)


@quiz_state.on
def quiz_created(cur: psycopg.Cursor, e: Quiz.Created) -> None:
    cur.execute("INSERT INTO quizzes (quiz_id, audience, audience_id) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (e.originator_id, e.audience, e.audience_id))


@quiz_state.on
def quiz_published(cur: psycopg.Cursor, e: Quiz.Published) -> None:
    settings = e.snapshot["settings"]
    opens, closes = moment(settings.get("opens_at")), moment(settings.get("closes_at"))
    cur.execute(
        "INSERT INTO quiz_versions (quiz_id, version, title, feedback_mode, opens_at, closes_at)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (e.originator_id, e.quiz_version, settings["title"], settings["feedback_mode"], opens, closes),
    )
    # Only the newest version opens: an opening moved or dropped replaces the pending notice.
    timed.cancel_pending(cur, AnnouncementKind.QUIZ_OPENING, e.originator_id)
    if opens is not None and opens > e.timestamp:
        timed.schedule(cur, AnnouncementKind.QUIZ_OPENING, e.originator_id, opens)
    # After-close results come out at the quiz's latest close across its versions (as
    # domain.quizzes.feedback_released has it): a later close moves the pending release.
    release = _release(cur, e.originator_id)
    if release is not None:
        timed.cancel_pending(cur, AnnouncementKind.QUIZ_RESULTS, e.originator_id)
        timed.schedule(cur, AnnouncementKind.QUIZ_RESULTS, e.originator_id, release)


def _release(cur: psycopg.Cursor, quiz_id: UUID) -> datetime | None:
    """When after-close results come out: the latest close, if some version shows them after it."""
    cur.execute("SELECT max(closes_at) AS closes, bool_or(feedback_mode = %s) AS after_close FROM quiz_versions"
                " WHERE quiz_id = %s", (FeedbackMode.AFTER_CLOSE.value, quiz_id))
    row = cur.fetchone()
    return row["closes"] if row["after_close"] else None


@quiz_state.on
def attempt_started(cur: psycopg.Cursor, e: Attempt.Started) -> None:
    cur.execute(
        "INSERT INTO attempts (attempt_id, quiz_id, quiz_version, student_id, submitted, grades)"
        " VALUES (%s, %s, %s, %s, false, '{}') ON CONFLICT DO NOTHING",
        (e.originator_id, e.quiz_id, e.quiz_version, e.student_id),
    )


@quiz_state.on
def attempt_submitted(cur: psycopg.Cursor, e: Attempt.Submitted) -> None:
    cur.execute("UPDATE attempts SET submitted = true, grades = %s WHERE attempt_id = %s",
                (Jsonb(e.grades), e.originator_id))


@quiz_state.on
def attempt_graded(cur: psycopg.Cursor, e: Attempt.EssayGraded | Attempt.Regraded) -> None:
    cur.execute("UPDATE attempts SET grades = grades || %s WHERE attempt_id = %s",
                (Jsonb({e.question_id: e.grade}), e.originator_id))


# What the rules look up (projections/notification/rules.py)

def quiz_audience(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """The class's current students, or the course's active enrolments."""
    cur.execute("SELECT 1 FROM quiz_versions WHERE quiz_id = %s", (event.quiz_id,))
    if cur.fetchone() is None:
        return []
    cur.execute(
        "SELECT s.student_id AS id FROM quizzes q JOIN class_students s ON s.class_id = q.audience_id"
        " WHERE q.quiz_id = %(q)s AND q.audience = %(class)s UNION SELECT e.student_id FROM quizzes q"
        " JOIN enrolments e ON e.course_id = q.audience_id AND e.active WHERE q.quiz_id = %(q)s"
        " AND q.audience = %(course)s ORDER BY 1",
        {"q": event.quiz_id, "class": Audience.CLASS.value, "course": Audience.COURSE.value},
    )
    return ids(cur)


def quiz(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    cur.execute("SELECT title FROM quiz_versions WHERE quiz_id = %s ORDER BY version DESC LIMIT 1", (event.quiz_id,))
    return {"quiz_id": str(event.quiz_id), "quiz_title": cur.fetchone()["title"],
            "opens_at": when(getattr(event, "opens_at", None))}


def students_with_results(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """Everyone who submitted an attempt on a version that shows results after the close, if
    this is still the quiz's release time (a later version may have moved it)."""
    if _release(cur, event.quiz_id) != event.closed_at:
        return []
    cur.execute(
        "SELECT DISTINCT a.student_id AS id FROM attempts a JOIN quiz_versions v"
        " ON v.quiz_id = a.quiz_id AND v.version = a.quiz_version WHERE a.quiz_id = %s AND a.submitted"
        " AND v.feedback_mode = %s ORDER BY 1",
        (event.quiz_id, FeedbackMode.AFTER_CLOSE.value),
    )
    return ids(cur)


def _attempt(cur: psycopg.Cursor, attempt_id: UUID) -> dict[str, Any] | None:
    cur.execute("SELECT a.quiz_id, a.student_id, a.grades, v.title, v.feedback_mode FROM attempts a"
                " JOIN quiz_versions v ON v.quiz_id = a.quiz_id AND v.version = a.quiz_version"
                " WHERE a.attempt_id = %s", (attempt_id,))
    return cur.fetchone()


def student_once_released(cur: psycopg.Cursor, event: Any) -> list[UUID]:
    """The student, when they may see the score (domain.quizzes.feedback_released): at once, or
    for quizzes that show results after the close, once the release at the quiz's latest close
    was announced."""
    a = _attempt(cur, event.originator_id)
    if a is None:
        return []
    if a["feedback_mode"] == FeedbackMode.AFTER_CLOSE and not timed.is_done(
            cur, AnnouncementKind.QUIZ_RESULTS, a["quiz_id"], _release(cur, a["quiz_id"])):
        return []  # the release tells them
    return [a["student_id"]]


_HOW = {Attempt.Submitted: "was submitted at its deadline", Attempt.Regraded: "was re-graded after a correction",
        Attempt.EssayGraded: "has an essay graded by your teacher"}


def attempt_score(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    a = _attempt(cur, event.originator_id)
    grades = event.grades if isinstance(event, Attempt.Submitted) else {**a["grades"], event.question_id: event.grade}
    context = {"attempt_id": str(event.originator_id), "quiz_id": str(a["quiz_id"]), "quiz_title": a["title"],
               "how": _HOW[type(event)], **totals(grades)}
    if isinstance(event, Attempt.EssayGraded):
        context.update(points=event.grade["points"], max=event.grade["max"])
    return context
