"""Gradebook read model: the facts grades are computed from (course/class quizzes and the settings
of each published version, attempts, every question grade ever recorded, every policy and
override, the scope's students), kept append-only so a grade can be recomputed as of any
moment, plus one history row per fact that touched a student's grades, with its cause.

Grades are computed by domain.grade_calc from these facts, here (for the history) and in the
queries (current, as-of, what-if, the student's own view), so all of them agree by construction.
An attempt counts with the settings of the quiz version it was graded against (category, soft
due date, pass mark, feedback release, which attempt counts: best or last); a draft edit
(Quiz.Edited) counts from its publication. A course's own assessments (tutor- and computer-marked
assignments, exams: the imported OULAD history) count like quizzes in the category "assessments",
each result by its assessment's weight.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from domain.attempts import Attempt
from domain.classroom import SchoolClass
from domain.course_assessments import PASS_MARK, AssessmentResult, CourseAssessment
from domain.enrolment import Enrolment
from domain.grade_calc import compute, counted_attempts, default_policy
from domain.gradebook import GradeOverride, GradingPolicy
from domain.identity import User
from domain.quizzes import Quiz
from projections.engine.engine import Projection

gradebook = Projection(
    name="gradebook",
    version=3,  # 3: course assessments; 2026-12 (score policies among others): see docs/operations.md "Upgrades"
    tables=[
        "CREATE TABLE IF NOT EXISTS quizzes (quiz_id uuid PRIMARY KEY, scope_id uuid NOT NULL)",
        """CREATE TABLE IF NOT EXISTS quiz_versions (quiz_id uuid NOT NULL, quiz_version int NOT NULL,
            category text NOT NULL, due_at timestamptz, pass_mark double precision, release jsonb NOT NULL,
            score_policy text NOT NULL, published_at timestamptz NOT NULL, PRIMARY KEY (quiz_id, quiz_version))""",
        """CREATE TABLE IF NOT EXISTS attempts (attempt_id uuid PRIMARY KEY, quiz_id uuid NOT NULL,
            quiz_version int NOT NULL, student_id uuid NOT NULL, submitted_at timestamptz)""",
        "CREATE INDEX IF NOT EXISTS attempts_student ON attempts (student_id)",
        """CREATE TABLE IF NOT EXISTS question_grades (seq bigserial PRIMARY KEY, attempt_id uuid NOT NULL,
            question_id text NOT NULL, points double precision NOT NULL, max double precision NOT NULL,
            at timestamptz NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS question_grades_attempt ON question_grades (attempt_id, question_id, seq)",
        """CREATE TABLE IF NOT EXISTS policies (seq bigserial PRIMARY KEY, scope_id uuid NOT NULL,
            policy jsonb NOT NULL, at timestamptz NOT NULL, actor_id uuid)""",
        """CREATE TABLE IF NOT EXISTS overrides (seq bigserial PRIMARY KEY, scope_id uuid NOT NULL,
            student_id uuid NOT NULL, grade double precision, unit text NOT NULL, reason text NOT NULL,
            at timestamptz NOT NULL, actor_id uuid)""",
        # Enrolled students and class members, so those without scores appear too.
        """CREATE TABLE IF NOT EXISTS members (scope_id uuid NOT NULL, student_id uuid NOT NULL,
            enrolment_id uuid, joined_at timestamptz NOT NULL, left_at timestamptz,
            PRIMARY KEY (scope_id, student_id))""",
        "CREATE INDEX IF NOT EXISTS members_enrolment ON members (enrolment_id)",
        """CREATE TABLE IF NOT EXISTS history (seq bigserial PRIMARY KEY, scope_id uuid NOT NULL,
            student_id uuid NOT NULL, at timestamptz NOT NULL, final double precision, letter text,
            categories jsonb NOT NULL, cause text NOT NULL, actor_id uuid, command_id uuid)""",
        "CREATE INDEX IF NOT EXISTS history_student ON history (scope_id, student_id, seq)",
        """CREATE TABLE IF NOT EXISTS course_assessments (assessment_id uuid PRIMARY KEY, course_id uuid NOT NULL,
            due_at timestamptz, weight double precision NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS course_assessments_course ON course_assessments (course_id)",
        """CREATE TABLE IF NOT EXISTS assessment_results (assessment_id uuid NOT NULL, student_id uuid NOT NULL,
            score double precision, submitted_at timestamptz NOT NULL, at timestamptz NOT NULL,
            PRIMARY KEY (assessment_id, student_id))""",
    ],
)


def assessments_sql(prefix: str) -> str:
    """The course's own assessments, each with the student's result recorded by `as_of` (or none)."""
    return (f"SELECT a.assessment_id AS item_id, a.due_at, a.weight, r.score, r.submitted_at"
            f" FROM {prefix}course_assessments a LEFT JOIN {prefix}assessment_results r"
            f" ON r.assessment_id = a.assessment_id AND r.student_id = %(student)s AND r.at <= %(as_of)s"
            f" WHERE a.course_id = %(scope)s")


def _assessment_scores(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Marked results as scores (percent, counted by weight); handed in and not marked yet: pending."""
    marked = [{"item_id": r["item_id"], "category": "assessments", "points": r["score"], "max": 100.0,
               "weight": r["weight"], "submitted_at": r["submitted_at"], "due_at": r["due_at"], "pass_mark": PASS_MARK}
              for r in rows if r["score"] is not None]
    unmarked = [{"item_id": r["item_id"], "category": "assessments", "released_at": None}
                for r in rows if r["submitted_at"] is not None and r["score"] is None]
    return marked, unmarked


def facts_sql(prefix: str) -> tuple[str, str, str]:
    """Attempts, policy and override of one (scope, student) as of a moment; `prefix` is ""
    inside the engine and "view_gradebook." for queries. Each attempt carries the settings of
    its quiz version, the quiz's latest close across its versions, and its latest grade per question."""
    attempts = (
        f"SELECT t.quiz_id AS item_id, t.attempt_id, v.category, v.due_at, v.pass_mark, v.score_policy, v.release,"
        f" t.submitted_at,"
        f" sum(g.points) AS points, sum(g.max) AS max, (SELECT max((w.release->>'closes_at')::timestamptz)"
        f"  FROM {prefix}quiz_versions w WHERE w.quiz_id = t.quiz_id) AS quiz_closes_at,"
        # Which attempt counts is the quiz's policy at the moment (its latest version then), for
        # every attempt alike, as the results report counts them.
        f" (SELECT w.score_policy FROM {prefix}quiz_versions w WHERE w.quiz_id = t.quiz_id"
        f"  AND w.published_at <= %(as_of)s ORDER BY w.quiz_version DESC LIMIT 1) AS quiz_score_policy"
        f" FROM {prefix}attempts t JOIN {prefix}quizzes q USING (quiz_id)"
        f" JOIN {prefix}quiz_versions v USING (quiz_id, quiz_version)"
        f" CROSS JOIN LATERAL (SELECT DISTINCT ON (question_id) points, max FROM {prefix}question_grades qg"
        f"  WHERE qg.attempt_id = t.attempt_id AND qg.at <= %(as_of)s ORDER BY question_id, seq DESC) g"
        f" WHERE t.student_id = %(student)s AND t.submitted_at <= %(as_of)s AND q.scope_id = %(scope)s"
        f" GROUP BY t.attempt_id, t.quiz_id, v.category, v.due_at, v.pass_mark, v.score_policy, v.release,"
        f" t.submitted_at"
    )
    policy = (f"SELECT policy FROM {prefix}policies WHERE scope_id = %(scope)s AND at <= %(as_of)s"
              f" ORDER BY seq DESC LIMIT 1")
    override = (f"SELECT grade, unit, reason FROM {prefix}overrides WHERE scope_id = %(scope)s"
                f" AND student_id = %(student)s AND at <= %(as_of)s ORDER BY seq DESC LIMIT 1")
    return attempts, policy, override


def grades_of(cur: psycopg.Cursor, prefix: str, scope_id: UUID, student_id: UUID, as_of: datetime, *,
              now: datetime | None = None, policy: dict[str, Any] | None = None) -> dict[str, Any]:
    """The student's grades from the facts recorded up to `as_of`, under the policy then in force
    (or the given one). With `now`, the student's own view: only scores whose feedback is released
    at `now` count; without it, staff's view with every score."""
    attempts_q, policy_q, override_q = facts_sql(prefix)
    params = {"scope": scope_id, "student": student_id, "as_of": as_of}
    # Reads on a cursor of their own: inside a handler's pipeline, the handler's cursor may still
    # hold the reply to one of its writes, which psycopg would hand back as this read's result.
    with cur.connection.cursor() as read:
        attempts = [dict(r) for r in read.execute(attempts_q, params).fetchall()]
        assessments = read.execute(assessments_sql(prefix), params).fetchall()
        row = None if policy is not None else read.execute(policy_q, params).fetchone()
        found = read.execute(override_q, params).fetchone()
    scores, pending = counted_attempts(attempts, now or as_of, student_view=now is not None)
    marked, unmarked = _assessment_scores(assessments)
    scores, pending = scores + marked, pending + unmarked
    if policy is None:
        policy = row["policy"] if row else default_policy(bool(assessments))
    override = found if found and found["grade"] is not None else None
    return {**compute(policy, scores, override), "pending_release": pending,
            "view": "student" if now is not None else "staff"}


def students_of(cur: psycopg.Cursor, prefix: str, scope_id: UUID, as_of: datetime) -> list[UUID]:
    """Members of the scope at `as_of`, and anyone with a score or an override in it."""
    query = (
        f"SELECT student_id FROM {prefix}members WHERE scope_id = %(scope)s AND joined_at <= %(as_of)s"
        f" AND (left_at IS NULL OR left_at > %(as_of)s)"
        f" UNION SELECT t.student_id FROM {prefix}attempts t JOIN {prefix}quizzes q USING (quiz_id)"
        f" WHERE q.scope_id = %(scope)s UNION SELECT student_id FROM {prefix}overrides WHERE scope_id = %(scope)s"
        f" UNION SELECT r.student_id FROM {prefix}assessment_results r JOIN {prefix}course_assessments a"
        f" USING (assessment_id) WHERE a.course_id = %(scope)s ORDER BY 1"
    )
    with cur.connection.cursor() as read:  # see grades_of
        return [r["student_id"] for r in read.execute(query, {"scope": scope_id, "as_of": as_of}).fetchall()]


def _record_history(cur: psycopg.Cursor, scope_id: UUID, student_id: UUID, e: Any) -> None:
    """One row per fact that touched the student's grades, with the staff view's grades after it;
    the queries show only the rows where a category grade, the final grade or the letter changed."""
    now = grades_of(cur, "", scope_id, student_id, e.timestamp)
    cur.execute(
        "INSERT INTO history (scope_id, student_id, at, final, letter, categories, cause, actor_id, command_id)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (scope_id, student_id, e.timestamp, now["final"], now["letter"],
         Jsonb({n: c["percent"] for n, c in now["categories"].items()}), type(e).__qualname__, e.actor_id,
         e.command_id),
    )


def _scope_of_attempt(cur: psycopg.Cursor, attempt_id: UUID) -> tuple[UUID, UUID] | None:
    with cur.connection.cursor() as read:  # see grades_of
        row = read.execute("SELECT q.scope_id, t.student_id FROM attempts t JOIN quizzes q USING (quiz_id)"
                           " WHERE attempt_id = %s", (attempt_id,)).fetchone()
    return (row["scope_id"], row["student_id"]) if row else None


@gradebook.on
def quiz_created(cur: psycopg.Cursor, e: Quiz.Created) -> None:
    cur.execute("INSERT INTO quizzes VALUES (%s, %s) ON CONFLICT DO NOTHING", (e.originator_id, e.audience_id))


@gradebook.on
def quiz_published(cur: psycopg.Cursor, e: Quiz.Published) -> None:
    # The version's frozen settings: a quiz counts as "quizzes" unless they name another category.
    settings = e.snapshot.get("settings") or {}
    release = {"feedback_mode": settings.get("feedback_mode", "after_submission"), "closes_at": settings.get("closes_at")}
    cur.execute(
        "INSERT INTO quiz_versions (quiz_id, quiz_version, category, due_at, pass_mark, release, score_policy,"
        " published_at) VALUES (%s, %s, %s, %s::timestamptz, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (e.originator_id, e.quiz_version, settings.get("category", "quizzes"), settings.get("due_at"),
         settings.get("pass_mark"), Jsonb(release), settings.get("score_policy", "best"), e.timestamp),
    )
    # A new version's score policy decides which of the earlier attempts count, too.
    with cur.connection.cursor() as read:  # see grades_of
        rows = read.execute("SELECT DISTINCT q.scope_id, t.student_id FROM attempts t JOIN quizzes q USING (quiz_id)"
                            " WHERE t.quiz_id = %s AND t.submitted_at IS NOT NULL", (e.originator_id,)).fetchall()
    for row in rows:
        _record_history(cur, row["scope_id"], row["student_id"], e)


@gradebook.on
def attempt_started(cur: psycopg.Cursor, e: Attempt.Started) -> None:
    cur.execute("INSERT INTO attempts VALUES (%s, %s, %s, %s, NULL) ON CONFLICT DO NOTHING",
                (e.originator_id, e.quiz_id, e.quiz_version, e.student_id))


def _grades(cur: psycopg.Cursor, e: Any, grades: dict[str, dict[str, Any]]) -> None:
    for question_id, g in grades.items():
        cur.execute("INSERT INTO question_grades (attempt_id, question_id, points, max, at) VALUES (%s, %s, %s, %s, %s)",
                    (e.originator_id, question_id, g.get("points", 0.0), g.get("max", 0.0), e.timestamp))
    scope = _scope_of_attempt(cur, e.originator_id)
    if scope is not None:
        _record_history(cur, *scope, e)


@gradebook.on
def attempt_submitted(cur: psycopg.Cursor, e: Attempt.Submitted) -> None:
    cur.execute("UPDATE attempts SET submitted_at = %s WHERE attempt_id = %s", (e.submitted_at, e.originator_id))
    _grades(cur, e, e.grades)


@gradebook.on
def attempt_regraded(cur: psycopg.Cursor, e: Attempt.EssayGraded | Attempt.Regraded) -> None:
    _grades(cur, e, {e.question_id: e.grade})


@gradebook.on
def policy_set(cur: psycopg.Cursor, e: GradingPolicy.Set | GradingPolicy.Changed) -> None:
    cur.execute("INSERT INTO policies (scope_id, policy, at, actor_id) VALUES (%s, %s, %s, %s)",
                (e.scope_id, Jsonb(e.policy), e.timestamp, e.actor_id))
    for student_id in students_of(cur, "", e.scope_id, e.timestamp):
        _record_history(cur, e.scope_id, student_id, e)


@gradebook.on
def overridden(cur: psycopg.Cursor, e: GradeOverride.Overridden) -> None:
    cur.execute(
        "INSERT INTO overrides (scope_id, student_id, grade, unit, reason, at, actor_id) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (e.scope_id, e.student_id, e.grade, e.unit, e.reason, e.timestamp, e.actor_id),
    )
    _record_history(cur, e.scope_id, e.student_id, e)


def _joined(cur: psycopg.Cursor, scope_id: UUID, student_id: UUID, enrolment_id: UUID | None, at: datetime) -> None:
    cur.execute(
        "INSERT INTO members (scope_id, student_id, enrolment_id, joined_at) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (scope_id, student_id) DO UPDATE SET left_at = NULL",
        (scope_id, student_id, enrolment_id, at),
    )


@gradebook.on
def enrolled(cur: psycopg.Cursor, e: Enrolment.Enrolled) -> None:
    _joined(cur, e.course_id, e.student_id, e.originator_id, e.timestamp)


@gradebook.on
def rejoined(cur: psycopg.Cursor, e: Enrolment.Rejoined | Enrolment.Assigned) -> None:
    cur.execute("UPDATE members SET left_at = NULL WHERE enrolment_id = %s", (e.originator_id,))


@gradebook.on
def left(cur: psycopg.Cursor, e: Enrolment.Left) -> None:
    cur.execute("UPDATE members SET left_at = %s WHERE enrolment_id = %s", (e.timestamp, e.originator_id))


@gradebook.on
def joined_class(cur: psycopg.Cursor, e: SchoolClass.StudentJoined) -> None:
    _joined(cur, e.originator_id, e.student_id, None, e.timestamp)


@gradebook.on
def removed_from_class(cur: psycopg.Cursor, e: SchoolClass.StudentRemoved) -> None:
    cur.execute("UPDATE members SET left_at = %s WHERE scope_id = %s AND student_id = %s",
                (e.timestamp, e.originator_id, e.student_id))


@gradebook.on
def assessment_defined(cur: psycopg.Cursor, e: CourseAssessment.Defined) -> None:
    cur.execute("INSERT INTO course_assessments VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (e.originator_id, e.course_id, e.due_at, e.weight))


@gradebook.on
def assessment_result_recorded(cur: psycopg.Cursor, e: AssessmentResult.Recorded) -> None:
    cur.execute("INSERT INTO assessment_results VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (e.assessment_id, e.student_id, e.score, e.submitted_at, e.timestamp))
    _record_history(cur, e.course_id, e.student_id, e)


@gradebook.on
def erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    cur.execute("UPDATE overrides SET reason = '[erased]' WHERE student_id = %s", (e.originator_id,))
