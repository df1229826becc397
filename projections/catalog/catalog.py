"""Catalog read model: courses (published revision searchable, working draft as JSON),
the category tree, and each course's count of active enrolments (for "popular")."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from domain.catalog import DETAIL_FIELDS, Course
from domain.categories import CategoryTree
from domain.enrolment import Enrolment
from projections.engine.engine import Projection
from projections.reading.text_search import TSVECTOR, config_for

catalog = Projection(
    name="catalog",
    version=2,  # 2026-12: see docs/operations.md "Upgrades"
    tables=[
        """CREATE TABLE IF NOT EXISTS courses (
            course_id uuid PRIMARY KEY, owner_id uuid NOT NULL, status text NOT NULL,
            revision_status text, review_reason text, submitted_at timestamptz, draft jsonb,
            created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
            published jsonb, revision int, published_at timestamptz,
            title text, summary text, level text, language text, ts_config regconfig,
            category_ids uuid[] NOT NULL DEFAULT '{}', tags text[] NOT NULL DEFAULT '{}',
            estimated_minutes int, lesson_count int, enrolment_count int NOT NULL DEFAULT 0,
            search tsvector)""",
        "CREATE INDEX IF NOT EXISTS courses_search ON courses USING gin (search)",
        "CREATE INDEX IF NOT EXISTS courses_categories ON courses USING gin (category_ids)",
        "CREATE INDEX IF NOT EXISTS courses_tags ON courses USING gin (tags)",
        "CREATE INDEX IF NOT EXISTS courses_newest ON courses (published_at, course_id) WHERE status = 'published'",
        "CREATE INDEX IF NOT EXISTS courses_popular ON courses (enrolment_count, course_id) WHERE status = 'published'",
        "CREATE INDEX IF NOT EXISTS courses_title ON courses (lower(title), course_id) WHERE status = 'published'",
        "CREATE INDEX IF NOT EXISTS courses_owner ON courses (owner_id, created_at)",
        "CREATE INDEX IF NOT EXISTS courses_in_review ON courses (submitted_at) WHERE revision_status = 'in_review'",
        # Which courses show a media file (the course lesson access rule asks on every download).
        "CREATE INDEX IF NOT EXISTS courses_published_media ON courses USING gin (published jsonb_path_ops)",
        "CREATE INDEX IF NOT EXISTS courses_draft_media ON courses USING gin (draft jsonb_path_ops)",
        """CREATE TABLE IF NOT EXISTS categories (
            category_id uuid PRIMARY KEY, parent_id uuid, name text NOT NULL, created_at timestamptz NOT NULL)""",
        # Which enrolments are active, so a repeated join or leave moves the count only once.
        """CREATE TABLE IF NOT EXISTS enrolment_index (
            enrolment_id uuid PRIMARY KEY, course_id uuid NOT NULL, active boolean NOT NULL)""",
    ],
)


def _json(value: Any) -> Jsonb:
    return Jsonb(value, dumps=lambda v: orjson.dumps(v, default=str).decode())


@catalog.on
def created(cur: psycopg.Cursor, e: Course.Created) -> None:
    draft = {"revision": 1, "modules": e.modules, **{f: getattr(e, f) for f in DETAIL_FIELDS}}
    cur.execute(
        "INSERT INTO courses (course_id, owner_id, status, revision_status, draft, created_at, updated_at)"
        " VALUES (%s, %s, 'draft', 'draft', %s, %s, %s) ON CONFLICT (course_id) DO NOTHING",
        (e.originator_id, e.owner_id, _json(draft), e.timestamp, e.timestamp),
    )


@catalog.on
def draft_changed(cur: psycopg.Cursor, e: Course.RevisionStarted | Course.DetailsEdited | Course.SyllabusEdited) -> None:
    if isinstance(e, Course.RevisionStarted):
        change = sql.SQL("draft = published || jsonb_build_object('revision', %s::int), revision_status = 'draft'")
        params: tuple = (e.revision,)
    elif isinstance(e, Course.DetailsEdited):
        change, params = sql.SQL("draft = draft || %s"), (_json({f: getattr(e, f) for f in DETAIL_FIELDS}),)
    else:
        change, params = sql.SQL("draft = jsonb_set(draft, '{modules}', %s)"), (_json(e.modules),)
    cur.execute(
        sql.SQL("UPDATE courses SET {}, updated_at = %s WHERE course_id = %s").format(change),
        (*params, e.timestamp, e.originator_id),
    )


@catalog.on
def review_moved(cur: psycopg.Cursor, e: Course.SubmittedForReview | Course.SentBack) -> None:
    """Status follows the working revision only while nothing was published yet."""
    state = "in_review" if isinstance(e, Course.SubmittedForReview) else "draft"
    cur.execute(
        "UPDATE courses SET revision_status = %s, review_reason = %s, updated_at = %s,"
        " submitted_at = CASE WHEN %s = 'in_review' THEN %s ELSE submitted_at END,"
        " status = CASE WHEN published IS NULL THEN %s ELSE status END WHERE course_id = %s",
        (state, getattr(e, "reason", None), e.timestamp, state, e.timestamp, state, e.originator_id),
    )


@catalog.on
def published(cur: psycopg.Cursor, e: Course.Published) -> None:
    cur.execute("SELECT draft FROM courses WHERE course_id = %s", (e.originator_id,))
    content = cur.fetchone()["draft"]
    lessons = [lesson for module in content["modules"] for lesson in module["lessons"]]
    minutes = content["estimated_minutes"] or sum(lesson["estimated_minutes"] for lesson in lessons) or None
    text = {"config": config_for(content["language"]), "title": content["title"],
            "summary": content["summary"], "description": content["description"]}
    cur.execute(
        sql.SQL(
            "UPDATE courses SET status = 'published', revision_status = NULL, review_reason = NULL,"
            " draft = NULL, published = %(content)s, revision = %(revision)s,"
            " published_at = coalesce(published_at, %(at)s), updated_at = %(at)s,"
            " title = %(title)s, summary = %(summary)s, level = %(level)s, language = %(language)s,"
            " ts_config = %(config)s::regconfig,"
            " category_ids = %(category_ids)s, tags = %(tags)s, estimated_minutes = %(minutes)s,"
            " lesson_count = %(lesson_count)s, search = {} WHERE course_id = %(course_id)s"
        ).format(TSVECTOR),
        {**text, "content": _json(content), "revision": e.revision, "at": e.timestamp,
         "level": content["level"], "language": content["language"],
         "category_ids": [UUID(c) for c in content["category_ids"]], "tags": content["tags"], "minutes": minutes,
         "lesson_count": len(lessons), "course_id": e.originator_id},
    )


@catalog.on
def archived(cur: psycopg.Cursor, e: Course.Archived) -> None:
    cur.execute(
        "UPDATE courses SET status = 'archived', updated_at = %s, revision_status ="
        " CASE WHEN revision_status = 'in_review' THEN 'draft' ELSE revision_status END WHERE course_id = %s",
        (e.timestamp, e.originator_id),
    )


@catalog.on
def category_changed(cur: psycopg.Cursor, e: CategoryTree.CategoryCreated | CategoryTree.CategoryRenamed | CategoryTree.CategoryMoved | CategoryTree.CategoryDeleted) -> None:
    if isinstance(e, CategoryTree.CategoryCreated):
        cur.execute(
            "INSERT INTO categories (category_id, parent_id, name, created_at) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (category_id) DO NOTHING",
            (e.category_id, e.parent_id, e.name, e.timestamp),
        )
    elif isinstance(e, CategoryTree.CategoryRenamed):
        cur.execute("UPDATE categories SET name = %s WHERE category_id = %s", (e.name, e.category_id))
    elif isinstance(e, CategoryTree.CategoryMoved):
        cur.execute("UPDATE categories SET parent_id = %s WHERE category_id = %s", (e.parent_id, e.category_id))
    else:
        cur.execute("DELETE FROM categories WHERE category_id = %s", (e.category_id,))


@catalog.on
def enrolment_changed(cur: psycopg.Cursor, e: Enrolment.Enrolled | Enrolment.Rejoined | Enrolment.Assigned | Enrolment.Left) -> None:
    if isinstance(e, Enrolment.Enrolled):
        cur.execute(
            "INSERT INTO enrolment_index (enrolment_id, course_id, active) VALUES (%s, %s, true)"
            " ON CONFLICT (enrolment_id) DO NOTHING RETURNING course_id",
            (e.originator_id, e.course_id),
        )
    else:
        active = not isinstance(e, Enrolment.Left)
        cur.execute(
            "UPDATE enrolment_index SET active = %s WHERE enrolment_id = %s AND active <> %s RETURNING course_id",
            (active, e.originator_id, active),
        )
    row = cur.fetchone()
    if row:
        delta = -1 if isinstance(e, Enrolment.Left) else 1
        cur.execute(
            "UPDATE courses SET enrolment_count = enrolment_count + %s WHERE course_id = %s",
            (delta, row["course_id"]),
        )
