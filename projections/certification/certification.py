"""Certification read model: what the issuing worker needs to decide who is due a certificate
(enrolments, completed lessons and courses, each course's published lessons, completion rules;
grades come from the gradebook read model), the certificates issued, for verification by code
and for the people who hold them, and who assigned each enrolment (a teacher lists and revokes
the certificates of the holders they assigned the course to)."""

from __future__ import annotations

from uuid import UUID

import psycopg

from domain.catalog import Course
from domain.certification import Certificate, CompletionRules
from domain.enrolment import Enrolment, source_of
from domain.identity import User
from projections.engine.engine import Projection

certification = Projection(
    name="certification",
    version=2,  # 2026-12 (enrolment assignments among others): see docs/operations.md "Upgrades"
    tables=[
        """CREATE TABLE IF NOT EXISTS rules (
            rules_id uuid PRIMARY KEY, course_id uuid NOT NULL UNIQUE, require_all_lessons boolean NOT NULL,
            required_lesson_ids uuid[] NOT NULL, required_quiz_ids uuid[] NOT NULL,
            pass_mark double precision, show_grade boolean NOT NULL, changed_at timestamptz NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS enrolments (
            enrolment_id uuid PRIMARY KEY, student_id uuid NOT NULL, course_id uuid NOT NULL,
            completed_at timestamptz)""",
        "CREATE INDEX IF NOT EXISTS enrolments_course ON enrolments (course_id, student_id)",
        # The enrolment's current assignments, one per source, as the Enrolment aggregate holds them.
        """CREATE TABLE IF NOT EXISTS assignments (
            enrolment_id uuid NOT NULL, source_id uuid NOT NULL, assigned_by uuid NOT NULL,
            PRIMARY KEY (enrolment_id, source_id))""",
        """CREATE TABLE IF NOT EXISTS lessons_done (
            enrolment_id uuid NOT NULL, lesson_id uuid NOT NULL, PRIMARY KEY (enrolment_id, lesson_id))""",
        "CREATE TABLE IF NOT EXISTS course_lessons (course_id uuid PRIMARY KEY, lesson_ids uuid[] NOT NULL)",
        """CREATE TABLE IF NOT EXISTS certificates (
            certificate_id uuid PRIMARY KEY, code text NOT NULL UNIQUE, student_id uuid NOT NULL,
            course_id uuid NOT NULL, course_title text NOT NULL, grade double precision,
            issued_at timestamptz NOT NULL, revoked_at timestamptz, revoked_reason text, revoked_by uuid,
            UNIQUE (student_id, course_id))""",
        "CREATE INDEX IF NOT EXISTS certificates_course ON certificates (course_id, issued_at, certificate_id)",
    ],
)


@certification.on
def rules_defined(cur: psycopg.Cursor, e: CompletionRules.Defined) -> None:
    cur.execute(
        "INSERT INTO rules VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (rules_id) DO NOTHING",
        (e.originator_id, e.course_id, e.require_all_lessons, e.required_lesson_ids, e.required_quiz_ids,
         e.pass_mark, e.show_grade, e.timestamp),
    )


@certification.on
def rules_changed(cur: psycopg.Cursor, e: CompletionRules.Changed) -> None:
    cur.execute(
        "UPDATE rules SET require_all_lessons = %s, required_lesson_ids = %s, required_quiz_ids = %s,"
        " pass_mark = %s, show_grade = %s, changed_at = %s WHERE rules_id = %s",
        (e.require_all_lessons, e.required_lesson_ids, e.required_quiz_ids, e.pass_mark, e.show_grade,
         e.timestamp, e.originator_id),
    )


@certification.on
def course_published(cur: psycopg.Cursor, e: Course.Published) -> None:
    cur.execute("INSERT INTO course_lessons VALUES (%s, %s) ON CONFLICT (course_id) DO UPDATE SET lesson_ids = EXCLUDED.lesson_ids",
                (e.originator_id, [UUID(str(i)) for i in e.lesson_ids]))


@certification.on
def lesson_completed(cur: psycopg.Cursor, e: Enrolment.LessonCompleted) -> None:
    cur.execute("INSERT INTO lessons_done VALUES (%s, %s) ON CONFLICT DO NOTHING", (e.originator_id, e.lesson_id))


@certification.on
def enrolled(cur: psycopg.Cursor, e: Enrolment.Enrolled) -> None:
    cur.execute(
        "INSERT INTO enrolments (enrolment_id, student_id, course_id) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
        (e.originator_id, e.student_id, e.course_id),
    )
    if e.assigned_by is not None:
        assigned(cur, e)


@certification.on
def assigned(cur: psycopg.Cursor, e: Enrolment.Assigned) -> None:
    cur.execute(
        "INSERT INTO assignments VALUES (%s, %s, %s) ON CONFLICT (enrolment_id, source_id)"
        " DO UPDATE SET assigned_by = EXCLUDED.assigned_by",
        (e.originator_id, source_of(e.assigned_by, e.class_id), e.assigned_by),
    )


@certification.on
def left(cur: psycopg.Cursor, e: Enrolment.Left) -> None:
    cur.execute("DELETE FROM assignments WHERE enrolment_id = %s", (e.originator_id,))


@certification.on
def course_completed(cur: psycopg.Cursor, e: Enrolment.CourseCompleted) -> None:
    cur.execute("UPDATE enrolments SET completed_at = %s WHERE enrolment_id = %s", (e.timestamp, e.originator_id))


@certification.on
def issued(cur: psycopg.Cursor, e: Certificate.Issued) -> None:
    cur.execute(
        "INSERT INTO certificates (certificate_id, code, student_id, course_id, course_title, grade, issued_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (e.originator_id, e.code, e.student_id, e.course_id, e.course_title, e.grade, e.issued_at),
    )


@certification.on
def revoked(cur: psycopg.Cursor, e: Certificate.Revoked) -> None:
    cur.execute(
        "UPDATE certificates SET revoked_at = %s, revoked_reason = %s, revoked_by = %s WHERE certificate_id = %s",
        (e.revoked_at, e.reason, e.actor_id, e.originator_id),
    )


@certification.on
def erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    cur.execute("UPDATE certificates SET revoked_reason = '[erased]' WHERE student_id = %s AND revoked_reason IS NOT NULL",
                (e.originator_id,))
