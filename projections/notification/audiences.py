"""What the notification rules need to know of the catalog and the classroom: the category
tree and who follows what, courses (their categories, whether ever published), enrolments,
class rosters and class lessons (with timed notices for lessons scheduled for later).

Part of the notification projection (projections/notification/decisions.py merges its tables and
handlers). Class names and lesson titles are the teacher's personal data: erasing the teacher
blanks them here (erase_personal_data)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg

from domain.announcements import AnnouncementKind
from domain.catalog import Course
from domain.categories import CategoryTree
from domain.category_follows import CategoryFollow
from domain.class_lessons import ClassLesson
from domain.classroom import SchoolClass
from domain.enrolment import Enrolment
from domain.event_conventions import ERASED
from projections.engine.engine import Projection
from projections.notification import timed

audiences = Projection(
    name="notification",
    tables=[
        "CREATE TABLE IF NOT EXISTS categories (category_id uuid PRIMARY KEY, parent_id uuid, name text NOT NULL)",
        """CREATE TABLE IF NOT EXISTS follows (
            user_id uuid NOT NULL, category_id uuid NOT NULL, PRIMARY KEY (category_id, user_id))""",
        # draft_*: what the next publication will show; published: ever published.
        """CREATE TABLE IF NOT EXISTS courses (
            course_id uuid PRIMARY KEY, owner_id uuid NOT NULL, title text, category_ids uuid[],
            draft_title text NOT NULL, draft_category_ids uuid[] NOT NULL, published boolean NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS enrolments (
            enrolment_id uuid PRIMARY KEY, student_id uuid NOT NULL, course_id uuid NOT NULL, active boolean NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS enrolments_course ON enrolments (course_id) WHERE active",
        "CREATE TABLE IF NOT EXISTS classes (class_id uuid PRIMARY KEY, teacher_id uuid NOT NULL, name text NOT NULL)",
        """CREATE TABLE IF NOT EXISTS class_students (
            class_id uuid NOT NULL, student_id uuid NOT NULL, PRIMARY KEY (class_id, student_id))""",
        """CREATE TABLE IF NOT EXISTS lessons (
            lesson_id uuid PRIMARY KEY, class_id uuid NOT NULL, teacher_id uuid NOT NULL, title text NOT NULL)""",
    ],
)


def _ids(values: list[Any]) -> list[UUID]:
    return [UUID(str(v)) for v in values]


@audiences.on
def category_changed(cur: psycopg.Cursor, e: CategoryTree.CategoryCreated | CategoryTree.CategoryRenamed | CategoryTree.CategoryMoved) -> None:
    if isinstance(e, CategoryTree.CategoryCreated):
        cur.execute("INSERT INTO categories (category_id, parent_id, name) VALUES (%s, %s, %s)"
                    " ON CONFLICT DO NOTHING", (e.category_id, e.parent_id, e.name))
    elif isinstance(e, CategoryTree.CategoryRenamed):
        cur.execute("UPDATE categories SET name = %s WHERE category_id = %s", (e.name, e.category_id))
    else:
        cur.execute("UPDATE categories SET parent_id = %s WHERE category_id = %s", (e.parent_id, e.category_id))


@audiences.on
def category_deleted(cur: psycopg.Cursor, e: CategoryTree.CategoryDeleted) -> None:
    cur.execute("DELETE FROM categories WHERE category_id = %s", (e.category_id,))


@audiences.on
def followed(cur: psycopg.Cursor, e: CategoryFollow.Followed) -> None:
    cur.execute("INSERT INTO follows (user_id, category_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (e.user_id, e.category_id))


@audiences.on
def unfollowed(cur: psycopg.Cursor, e: CategoryFollow.Unfollowed) -> None:
    cur.execute("DELETE FROM follows WHERE user_id = %s AND category_id = %s", (e.user_id, e.category_id))


@audiences.on
def course_created(cur: psycopg.Cursor, e: Course.Created) -> None:
    cur.execute(
        "INSERT INTO courses (course_id, owner_id, draft_title, draft_category_ids, published)"
        " VALUES (%s, %s, %s, %s, false) ON CONFLICT DO NOTHING",
        (e.originator_id, e.owner_id, e.title, _ids(e.category_ids)),
    )


@audiences.on
def course_edited(cur: psycopg.Cursor, e: Course.DetailsEdited) -> None:
    cur.execute("UPDATE courses SET draft_title = %s, draft_category_ids = %s WHERE course_id = %s",
                (e.title, _ids(e.category_ids), e.originator_id))


@audiences.on
def course_published(cur: psycopg.Cursor, e: Course.Published) -> None:
    cur.execute("UPDATE courses SET title = draft_title, category_ids = draft_category_ids, published = true"
                " WHERE course_id = %s", (e.originator_id,))


@audiences.on
def enrolled(cur: psycopg.Cursor, e: Enrolment.Enrolled) -> None:
    cur.execute("INSERT INTO enrolments (enrolment_id, student_id, course_id, active) VALUES (%s, %s, %s, true)"
                " ON CONFLICT DO NOTHING", (e.originator_id, e.student_id, e.course_id))


@audiences.on
def enrolment_changed(cur: psycopg.Cursor, e: Enrolment.Rejoined | Enrolment.Assigned | Enrolment.Left) -> None:
    cur.execute("UPDATE enrolments SET active = %s WHERE enrolment_id = %s",
                (not isinstance(e, Enrolment.Left), e.originator_id))


@audiences.on
def class_opened(cur: psycopg.Cursor, e: SchoolClass.Opened) -> None:
    cur.execute("INSERT INTO classes (class_id, teacher_id, name) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (e.originator_id, e.teacher_id, e.name))


@audiences.on
def student_joined(cur: psycopg.Cursor, e: SchoolClass.StudentJoined) -> None:
    cur.execute("INSERT INTO class_students (class_id, student_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (e.originator_id, e.student_id))


@audiences.on
def student_removed(cur: psycopg.Cursor, e: SchoolClass.StudentRemoved) -> None:
    cur.execute("DELETE FROM class_students WHERE class_id = %s AND student_id = %s", (e.originator_id, e.student_id))


@audiences.on
def lesson_written(cur: psycopg.Cursor, e: ClassLesson.Created | ClassLesson.Edited) -> None:
    if isinstance(e, ClassLesson.Created):
        cur.execute("INSERT INTO lessons (lesson_id, class_id, teacher_id, title) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT DO NOTHING", (e.originator_id, e.class_id, e.teacher_id, e.title))
    else:
        cur.execute("UPDATE lessons SET title = %s WHERE lesson_id = %s", (e.title, e.originator_id))


@audiences.on
def lesson_published(cur: psycopg.Cursor, e: ClassLesson.Published) -> None:
    """Published for now: told by the rule on this event. For later: by an announcement then.
    A lesson is told once: published again after a withdrawal, it is not news."""
    kind = AnnouncementKind.LESSON_PUBLISHED
    timed.cancel_pending(cur, kind, e.originator_id)
    if timed.is_done(cur, kind, e.originator_id):
        return
    if e.publish_at <= e.timestamp:
        timed.mark_done(cur, kind, e.originator_id, e.publish_at)
    else:
        timed.schedule(cur, kind, e.originator_id, e.publish_at)


@audiences.on
def lesson_unpublished(cur: psycopg.Cursor, e: ClassLesson.Unpublished) -> None:
    timed.cancel_pending(cur, AnnouncementKind.LESSON_PUBLISHED, e.originator_id)


def erase_personal_data(cur: psycopg.Cursor, user_id: UUID) -> None:
    """The person's follows, class places and enrolments go; what they wrote as a teacher is blanked."""
    cur.execute("DELETE FROM follows WHERE user_id = %s", (user_id,))
    cur.execute("DELETE FROM class_students WHERE student_id = %s", (user_id,))
    cur.execute("DELETE FROM enrolments WHERE student_id = %s", (user_id,))
    cur.execute("UPDATE classes SET name = %s WHERE teacher_id = %s", (ERASED, user_id))
    cur.execute("UPDATE lessons SET title = %s WHERE teacher_id = %s", (ERASED, user_id))
