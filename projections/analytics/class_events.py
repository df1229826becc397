"""Class and quiz events into the progress read model: class membership, class lessons opened
and completed, videos watched, quiz attempts with their scores and duration, erasure."""

from __future__ import annotations

from datetime import timedelta

import psycopg

from domain.attempts import Attempt
from domain.class_progress import LessonProgress
from domain.classroom import SchoolClass
from domain.course_assessments import PASS_MARK
from domain.identity import User
from domain.quizzes import Quiz, moment
from domain.scoring import totals
from projections.analytics.activity import (
    ensure_learner,
    note_activity,
    watched_seconds,
)
from projections.analytics.tables import progress

# An attempt left open for hours was not hours of work: its time counts up to this.
LONGEST_ATTEMPT = timedelta(hours=3)


@progress.on
def class_membership(cur: psycopg.Cursor, e: SchoolClass.StudentJoined | SchoolClass.StudentRemoved) -> None:
    ensure_learner(cur, e.student_id, e.originator_id, "class", e.timestamp)
    joined = isinstance(e, SchoolClass.StudentJoined)
    cur.execute("UPDATE learners SET active = %s, left_at = %s WHERE scope_id = %s AND student_id = %s",
                (joined, None if joined else e.timestamp, e.originator_id, e.student_id))


@progress.on
def class_lesson_opened(cur: psycopg.Cursor, e: LessonProgress.Started) -> None:
    cur.execute("INSERT INTO class_lesson_views (progress_id, student_id, class_id, lesson_id) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING", (e.originator_id, e.student_id, e.class_id, e.lesson_id))
    note_activity(cur, e.student_id, e.class_id, "class", e.timestamp, views=1)


@progress.on
def class_lesson_progress(cur: psycopg.Cursor, e: LessonProgress.VideoWatched | LessonProgress.Completed) -> None:
    cur.execute("SELECT student_id, class_id, lesson_id FROM class_lesson_views WHERE progress_id = %s", (e.originator_id,))
    row = cur.fetchone()
    student_id, class_id, lesson_id = row["student_id"], row["class_id"], row["lesson_id"]
    if isinstance(e, LessonProgress.VideoWatched):
        seconds = watched_seconds(cur, f"{e.originator_id}:{e.media_id}", e.position_seconds)
        note_activity(cur, student_id, class_id, "class", e.timestamp, seconds=seconds)
        return
    cur.execute("INSERT INTO lesson_completions (scope_id, lesson_id, student_id, at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING", (class_id, lesson_id, student_id, e.timestamp))
    note_activity(cur, student_id, class_id, "class", e.timestamp, completions=1)


@progress.on
def quiz_defined(cur: psycopg.Cursor, e: Quiz.Created | Quiz.Edited) -> None:
    title, closes = e.settings.get("title", ""), moment(e.settings.get("closes_at"))
    if isinstance(e, Quiz.Created):
        cur.execute("INSERT INTO items (item_id, scope_id, scope, kind, title, due_at) VALUES (%s, %s, %s, 'quiz', %s, %s)"
                    " ON CONFLICT DO NOTHING", (e.originator_id, e.audience_id, e.audience, title, closes))
    else:
        cur.execute("UPDATE items SET title = %s, due_at = %s WHERE item_id = %s", (title, closes, e.originator_id))


@progress.on
def attempt_started(cur: psycopg.Cursor, e: Attempt.Started) -> None:
    cur.execute("INSERT INTO attempt_starts (attempt_id, quiz_id, student_id, started_at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING", (e.originator_id, e.quiz_id, e.student_id, e.started_at))


@progress.on
def attempt_submitted(cur: psycopg.Cursor, e: Attempt.Submitted) -> None:
    cur.execute("SELECT s.quiz_id, s.student_id, s.started_at, i.scope_id, i.scope FROM attempt_starts s"
                " JOIN items i ON i.item_id = s.quiz_id WHERE s.attempt_id = %s", (e.originator_id,))
    row = cur.fetchone()
    if row is None:
        return
    quiz_id, student_id, scope_id, scope = row["quiz_id"], row["student_id"], row["scope_id"], row["scope"]
    started_at = row["started_at"]
    percent = totals(e.grades)["percent"]
    seconds = min(e.submitted_at - started_at, LONGEST_ATTEMPT).total_seconds()
    note_activity(cur, student_id, scope_id, scope, e.submitted_at, seconds=max(0.0, seconds), result={
        "result_id": e.originator_id, "item_id": quiz_id, "score": percent, "passed": percent >= PASS_MARK})


@progress.on
def person_erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    """A person's learning record goes with them."""
    for table in ("learners", "activity_days", "results", "lesson_completions", "class_lesson_views",
                  "enrolment_ids", "attempt_starts"):
        cur.execute(f"DELETE FROM {table} WHERE student_id = %s", (e.originator_id,))
