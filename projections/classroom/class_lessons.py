"""Class lessons read model: lessons in their order, and which lessons show which media."""

from __future__ import annotations

from typing import Any

import psycopg

from domain.class_lessons import ClassLesson
from domain.classroom import SchoolClass
from domain.event_conventions import ERASED
from domain.identity import User
from projections.engine.engine import Projection

class_lessons = Projection(
    name="class_lessons",
    tables=[
        """CREATE TABLE IF NOT EXISTS lessons (
            lesson_id uuid PRIMARY KEY, class_id uuid NOT NULL, teacher_id uuid NOT NULL,
            position int NOT NULL, title text NOT NULL, body text, media_ids uuid[] NOT NULL,
            publish_at timestamptz, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS lessons_class ON lessons (class_id, position)",
        """CREATE TABLE IF NOT EXISTS lesson_media (
            media_id uuid NOT NULL, lesson_id uuid NOT NULL, class_id uuid NOT NULL,
            PRIMARY KEY (media_id, lesson_id))""",
    ],
)


def _attach(cur: psycopg.Cursor, e: Any, class_id: Any) -> None:
    cur.execute("DELETE FROM lesson_media WHERE lesson_id = %s", (e.originator_id,))
    for media_id in e.media_ids:
        cur.execute("INSERT INTO lesson_media (media_id, lesson_id, class_id) VALUES (%s, %s, %s)"
                    " ON CONFLICT DO NOTHING", (media_id, e.originator_id, class_id))


@class_lessons.on
def created(cur: psycopg.Cursor, e: ClassLesson.Created) -> None:
    # New lessons go last, as SchoolClass.add_lesson appends them to the class's order.
    cur.execute(
        "INSERT INTO lessons (lesson_id, class_id, teacher_id, position, title, body, media_ids, created_at, updated_at)"
        " SELECT %s, %s, %s, coalesce(max(position) + 1, 0), %s, %s, %s, %s, %s FROM lessons WHERE class_id = %s"
        " ON CONFLICT (lesson_id) DO NOTHING",
        (e.originator_id, e.class_id, e.teacher_id, e.title, e.body, list(e.media_ids), e.timestamp, e.timestamp,
         e.class_id),
    )
    _attach(cur, e, e.class_id)


@class_lessons.on
def edited(cur: psycopg.Cursor, e: ClassLesson.Edited) -> None:
    cur.execute(
        "UPDATE lessons SET title = %s, body = %s, media_ids = %s, updated_at = %s WHERE lesson_id = %s"
        " RETURNING class_id",
        (e.title, e.body, list(e.media_ids), e.timestamp, e.originator_id),
    )
    _attach(cur, e, cur.fetchone()["class_id"])


@class_lessons.on
def publication_changed(cur: psycopg.Cursor, e: ClassLesson.Published | ClassLesson.Unpublished) -> None:
    publish_at = e.publish_at if isinstance(e, ClassLesson.Published) else None
    cur.execute("UPDATE lessons SET publish_at = %s, updated_at = %s WHERE lesson_id = %s",
                (publish_at, e.timestamp, e.originator_id))


@class_lessons.on
def reordered(cur: psycopg.Cursor, e: SchoolClass.LessonsReordered) -> None:
    cur.execute(
        "UPDATE lessons SET position = array_position(%s::uuid[], lesson_id) - 1 WHERE class_id = %s",
        (list(e.lesson_ids), e.originator_id),
    )


@class_lessons.on
def teacher_erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    """Lesson texts are their teacher's words: they go with the teacher."""
    cur.execute("UPDATE lessons SET title = %s, body = NULL WHERE teacher_id = %s", (ERASED, e.originator_id))
