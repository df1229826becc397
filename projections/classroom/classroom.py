"""Classroom read model: classes and their rosters (current and removed students)."""

from __future__ import annotations

import psycopg

from domain.classroom import SchoolClass
from domain.event_conventions import ERASED
from domain.identity import User
from projections.engine.engine import Projection

classroom = Projection(
    name="classroom",
    tables=[
        """CREATE TABLE IF NOT EXISTS classes (
            class_id uuid PRIMARY KEY, teacher_id uuid NOT NULL, name text NOT NULL, description text,
            term text, join_code text, archived_at timestamptz,
            created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS classes_teacher ON classes (teacher_id, created_at, class_id)",
        """CREATE TABLE IF NOT EXISTS members (
            class_id uuid NOT NULL, student_id uuid NOT NULL, via text NOT NULL,
            joined_at timestamptz NOT NULL, removed_at timestamptz,
            PRIMARY KEY (class_id, student_id))""",
        "CREATE INDEX IF NOT EXISTS members_student ON members (student_id)",
    ],
)


def _personal(value: str) -> str | None:
    return None if value == ERASED else value


@classroom.on
def opened(cur: psycopg.Cursor, e: SchoolClass.Opened) -> None:
    cur.execute(
        "INSERT INTO classes (class_id, teacher_id, name, description, term, created_at, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (class_id) DO NOTHING",
        (e.originator_id, e.teacher_id, e.name, _personal(e.description), _personal(e.term), e.timestamp, e.timestamp),
    )


@classroom.on
def join_code_issued(cur: psycopg.Cursor, e: SchoolClass.JoinCodeIssued) -> None:
    cur.execute("UPDATE classes SET join_code = %s, updated_at = %s WHERE class_id = %s",
                (e.code, e.timestamp, e.originator_id))


@classroom.on
def student_joined(cur: psycopg.Cursor, e: SchoolClass.StudentJoined) -> None:
    cur.execute(
        "INSERT INTO members (class_id, student_id, via, joined_at) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (class_id, student_id) DO UPDATE"
        " SET via = EXCLUDED.via, joined_at = EXCLUDED.joined_at, removed_at = NULL",
        (e.originator_id, e.student_id, e.via, e.timestamp),
    )


@classroom.on
def student_removed(cur: psycopg.Cursor, e: SchoolClass.StudentRemoved) -> None:
    cur.execute("UPDATE members SET removed_at = %s WHERE class_id = %s AND student_id = %s",
                (e.timestamp, e.originator_id, e.student_id))


@classroom.on
def archived(cur: psycopg.Cursor, e: SchoolClass.Archived) -> None:
    cur.execute("UPDATE classes SET archived_at = %s, updated_at = %s WHERE class_id = %s",
                (e.timestamp, e.timestamp, e.originator_id))


@classroom.on
def teacher_erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    """A class's name and description are its teacher's words: they go with the teacher."""
    cur.execute("UPDATE classes SET name = %s, description = NULL, term = NULL WHERE teacher_id = %s",
                (ERASED, e.originator_id))
