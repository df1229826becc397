"""Classroom read model: classes and their rosters (current and removed students)."""

from __future__ import annotations

from domain.classroom import SchoolClass
from domain.event_conventions import ERASED
from domain.identity import User
from projections.engine.engine import Projection
from projections.engine.row_writes import WHOLE_TABLE, Writes, row_statement

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


_OPEN = row_statement(
    "INSERT INTO classes (class_id, teacher_id, name, description, term, created_at, updated_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (class_id) DO NOTHING",
    "uuid uuid text text text timestamptz timestamptz")
_JOIN_CODE = row_statement("UPDATE classes SET join_code = %s, updated_at = %s WHERE class_id = %s",
                           "text timestamptz uuid")
_JOIN = row_statement(
    "INSERT INTO members (class_id, student_id, via, joined_at) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (class_id, student_id) DO UPDATE"
    " SET via = EXCLUDED.via, joined_at = EXCLUDED.joined_at, removed_at = NULL",
    "uuid uuid text timestamptz")
_REMOVE = row_statement("UPDATE members SET removed_at = %s WHERE class_id = %s AND student_id = %s",
                        "timestamptz uuid uuid")
_ARCHIVE = row_statement("UPDATE classes SET archived_at = %s, updated_at = %s WHERE class_id = %s",
                         "timestamptz timestamptz uuid")
# Any of the teacher's classes: a statement on the whole table (after and before every other).
_TEACHER_ERASED = row_statement("UPDATE classes SET name = %s, description = NULL, term = NULL WHERE teacher_id = %s",
                                "text uuid")


@classroom.on
def opened(w: Writes, e: SchoolClass.Opened) -> None:
    w.add(_OPEN, e.originator_id, e.originator_id, e.teacher_id, e.name, _personal(e.description),
          _personal(e.term), e.timestamp, e.timestamp)


@classroom.on
def join_code_issued(w: Writes, e: SchoolClass.JoinCodeIssued) -> None:
    w.add(_JOIN_CODE, e.originator_id, e.code, e.timestamp, e.originator_id)


@classroom.on
def student_joined(w: Writes, e: SchoolClass.StudentJoined) -> None:
    w.add(_JOIN, (e.originator_id, e.student_id), e.originator_id, e.student_id, e.via, e.timestamp)


@classroom.on
def student_removed(w: Writes, e: SchoolClass.StudentRemoved) -> None:
    w.add(_REMOVE, (e.originator_id, e.student_id), e.timestamp, e.originator_id, e.student_id)


@classroom.on
def archived(w: Writes, e: SchoolClass.Archived) -> None:
    w.add(_ARCHIVE, e.originator_id, e.timestamp, e.timestamp, e.originator_id)


@classroom.on
def teacher_erased(w: Writes, e: User.Erased) -> None:
    """A class's name and description are its teacher's words: they go with the teacher."""
    w.add(_TEACHER_ERASED, WHOLE_TABLE, ERASED, e.originator_id)
