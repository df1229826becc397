"""Course detail, lessons, the review queue, authors' own courses and the category tree.

Drafts (the working revision, and courses never published) are shown only to the owner,
moderators and admins; everyone sees the published revision of published and archived courses.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page

_SUMMARY = (
    "course_id, owner_id, status, revision, revision_status, review_reason, submitted_at,"
    " coalesce(draft->>'title', title) AS title, created_at, updated_at, published_at, enrolment_count"
)


def _syllabus_outline(content: dict[str, Any]) -> dict[str, Any]:
    """The published revision without lesson texts: those are for enrolled students."""
    modules = [
        {**m, "lessons": [{k: v for k, v in lesson.items() if k != "content"} for lesson in m["lessons"]]}
        for m in content["modules"]
    ]
    return {**content, "modules": modules}


def course_detail(pool: ConnectionPool, course_id: UUID, viewer_id: UUID | None, reviewer: bool) -> dict[str, Any] | None:
    """None when the course does not exist for this viewer."""
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT course_id, owner_id, status, revision_status, review_reason, published, draft,"
            " estimated_minutes, lesson_count, enrolment_count, created_at, updated_at, published_at"
            " FROM view_catalog.courses WHERE course_id = %s",
            (course_id,),
        ).fetchone()
    if row is None:
        return None
    editor = reviewer or (viewer_id is not None and viewer_id == row["owner_id"])
    if row["published"] is None and not editor:
        return None
    if row["published"] is not None:
        row["published"] = _syllabus_outline(row["published"])
    if not editor:
        row["draft"] = row["revision_status"] = row["review_reason"] = None
    return row


def published_lesson(pool: ConnectionPool, course_id: UUID, lesson_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT c.owner_id, l.module_id, l.lesson FROM view_catalog.courses c,"
            " LATERAL (SELECT m->>'module_id' AS module_id, x AS lesson FROM jsonb_array_elements(c.published->'modules') m,"
            "  jsonb_array_elements(m->'lessons') x WHERE x->>'lesson_id' = %s) l WHERE c.course_id = %s",
            (str(lesson_id), course_id),
        ).fetchone()


def review_queue(pool: ConnectionPool, *, limit: int, cursor: str | None) -> dict[str, Any]:
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    where, params = "revision_status = 'in_review'", []
    if after:
        where += " AND (submitted_at, course_id) > (%s::timestamptz, %s::uuid)"
        params += after
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT {_SUMMARY} FROM view_catalog.courses WHERE {where} ORDER BY submitted_at, course_id LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "submitted_at", "course_id")


def authored_courses(pool: ConnectionPool, owner_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    where, params = "owner_id = %s", [owner_id]
    if after:
        where += " AND (created_at, course_id) > (%s::timestamptz, %s::uuid)"
        params += after
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT {_SUMMARY} FROM view_catalog.courses WHERE {where} ORDER BY created_at, course_id LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "created_at", "course_id")


def categories(pool: ConnectionPool) -> list[dict[str, Any]]:
    """The whole tree, flat, parents before children, with each one's published courses."""
    with pool.connection() as conn:
        return conn.execute(
            "WITH RECURSIVE tree AS ("
            "  SELECT category_id, parent_id, name, ARRAY[lower(name)] AS path FROM view_catalog.categories"
            "  WHERE parent_id IS NULL UNION ALL"
            "  SELECT c.category_id, c.parent_id, c.name, t.path || lower(c.name) FROM view_catalog.categories c"
            "  JOIN tree t ON c.parent_id = t.category_id)"
            " SELECT category_id, parent_id, name, cardinality(path) - 1 AS depth,"
            " (SELECT count(*) FROM view_catalog.courses WHERE status = 'published'"
            "  AND category_ids @> ARRAY[tree.category_id]) AS course_count"
            " FROM tree ORDER BY path"
        ).fetchall()


def courses_in_category(pool: ConnectionPool, category_id: UUID) -> int:
    """Courses naming the category in any revision, drafts included; archived ones (which
    nobody can edit any more) do not hold a category back."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT count(*) AS n FROM view_catalog.courses WHERE status <> 'archived'"
            " AND (category_ids @> ARRAY[%s]::uuid[] OR draft->'category_ids' ? %s)",
            (category_id, str(category_id)),
        ).fetchone()["n"]


def course_owner(pool: ConnectionPool, course_id: UUID) -> UUID | None:
    with pool.connection() as conn:
        row = conn.execute("SELECT owner_id FROM view_catalog.courses WHERE course_id = %s", (course_id,)).fetchone()
    return row["owner_id"] if row else None


def courses_showing_media(pool: ConnectionPool, media_id: UUID) -> list[UUID]:
    """Courses whose published revision, or revision in review, has a lesson showing the file
    (containment, answered by the jsonb_path_ops indexes)."""
    shows = Jsonb({"modules": [{"lessons": [{"media_id": str(media_id)}]}]})
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT course_id FROM view_catalog.courses WHERE published @> %(shows)s"
            " UNION SELECT course_id FROM view_catalog.courses WHERE revision_status = 'in_review' AND draft @> %(shows)s",
            {"shows": shows},
        ).fetchall()
    return [r["course_id"] for r in rows]


def lesson_media(pool: ConnectionPool, lesson: dict[str, Any]) -> dict[str, Any] | None:
    """What a course lesson's player needs to know about its file."""
    try:
        media_id = UUID(lesson.get("media_id") or "")
    except ValueError:  # none, or a reference saved before media ids were checked (docs/catalog.md)
        return None
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT media_id, kind, content_type, size, sha256 FROM view_media.media WHERE media_id = %s", (media_id,)
        ).fetchone()
    return {**row, "url": f"/api/v1/media/{row['media_id']}/content"} if row else None
