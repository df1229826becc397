"""What the notification rules need to know of quizzes and attempts: each quiz's audience, each
published version's title and schedule, and each attempt's student and grades.

Part of the notification projection (projections/notification.py merges it). Publishing a
version schedules its timed notices: "opens soon" before opens_at, and for quizzes that show
results after the close, the release at closes_at (one per close time: attempts keep the
version, hence the close, they started on)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from domain.announcements import AnnouncementKind
from domain.attempts import Attempt
from domain.quizzes import FeedbackMode, Quiz, moment
from projections import notification_timed as timed
from projections.engine import Projection

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


@quiz_state.on(Quiz.Created)
def quiz_created(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("INSERT INTO quizzes (quiz_id, audience, audience_id) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (e.originator_id, e.audience, e.audience_id))


@quiz_state.on(Quiz.Published)
def quiz_published(cur: psycopg.Cursor, e: Any) -> None:
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
    if settings["feedback_mode"] == FeedbackMode.AFTER_CLOSE and closes is not None:
        timed.schedule(cur, AnnouncementKind.QUIZ_RESULTS, e.originator_id, closes)


@quiz_state.on(Attempt.Started)
def attempt_started(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute(
        "INSERT INTO attempts (attempt_id, quiz_id, quiz_version, student_id, submitted, grades)"
        " VALUES (%s, %s, %s, %s, false, '{}') ON CONFLICT DO NOTHING",
        (e.originator_id, e.quiz_id, e.quiz_version, e.student_id),
    )


@quiz_state.on(Attempt.Submitted)
def attempt_submitted(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("UPDATE attempts SET submitted = true, grades = %s WHERE attempt_id = %s",
                (Jsonb(e.grades), e.originator_id))


@quiz_state.on(Attempt.EssayGraded, Attempt.Regraded)
def attempt_graded(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("UPDATE attempts SET grades = grades || %s WHERE attempt_id = %s",
                (Jsonb({e.question_id: e.grade}), e.originator_id))
