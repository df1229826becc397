"""Catalog search over published courses: text, category (with its sub-categories), tag,
level and language; sorted by relevance, newest, popularity or title; keyset pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from domain.errors import InvalidInput
from projections.reading.pagination import Kind, decode_cursor, encode_cursor
from projections.reading.text_search import QUERIES, configs_for

# sort -> (key column, its SQL type, descending?, its kind in a cursor); course_id breaks ties.
SORTS: dict[str, tuple[str, str, bool, Kind]] = {
    "relevance": ("rank", "real", True, Kind.NUMBER),
    "newest": ("published_at", "timestamptz", True, Kind.TIME),
    "popular": ("enrolment_count", "int", True, Kind.WHOLE),
    "title": ("title_key", "text", False, Kind.TEXT),
}
_COLUMNS = sql.SQL(
    "course_id, owner_id, status, revision, title, summary, level, language, category_ids, tags,"
    " estimated_minutes, lesson_count, enrolment_count, published_at, updated_at, lower(title) AS title_key"
)
_LANGUAGE = re.compile(r"^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8})*$")
_SUBCATEGORIES = sql.SQL(
    "ARRAY(WITH RECURSIVE sub(id) AS (SELECT %(category_id)s::uuid UNION"
    " SELECT c.category_id FROM view_catalog.categories c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)"
)


@dataclass(frozen=True)
class CourseFilter:
    text: str | None = None
    category_id: UUID | None = None
    tag: str | None = None
    level: str | None = None
    language: str | None = None


def _conditions(f: CourseFilter) -> list[sql.Composable]:
    where: list[sql.Composable] = [sql.SQL("status = 'published'")]
    if f.text:
        where.append(sql.SQL("search @@ q.query AND search @@ qs.query"))
    if f.category_id:
        where.append(sql.SQL("category_ids && {}").format(_SUBCATEGORIES))
    if f.tag:
        where.append(sql.SQL("tags @> ARRAY[%(tag)s]::text[]"))
    if f.level:
        where.append(sql.SQL("level = %(level)s"))
    if f.language:  # "en" also finds "en-GB"
        where.append(sql.SQL("(lower(language) = %(language)s OR lower(language) LIKE %(language)s || '-%%')"))
    return where


def search_courses(
    pool: ConnectionPool, f: CourseFilter, *, sort: str | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    sort = sort or ("relevance" if f.text else "newest")
    if sort not in SORTS:
        raise InvalidInput(f"unknown sort {sort!r}", fields={"sort": f"one of {', '.join(SORTS)}"})
    if sort == "relevance" and not f.text:
        raise InvalidInput("sorting by relevance needs a search text", fields={"sort": "give q, or sort otherwise"})
    if f.language and not _LANGUAGE.match(f.language):
        raise InvalidInput("not a language code", fields={"language": "e.g. en or pt-BR"})
    key, key_type, descending, key_kind = SORTS[sort]
    params: dict[str, Any] = {
        "q": f.text, "configs": configs_for(f.language), "category_id": f.category_id,
        "tag": f.tag and " ".join(f.tag.lower().split()), "level": f.level,
        "language": f.language and f.language.lower(), "limit": limit + 1,
    }
    outer: list[sql.Composable] = [sql.SQL("true")]
    after = decode_cursor(cursor, Kind.TEXT, key_kind, Kind.ID)
    if after:
        if after[0] != sort:
            raise InvalidInput("cursor is not valid", fields={"cursor": f"from a list sorted by {after[0]}"})
        params["after_key"], params["after_id"] = after[1], after[2]
        outer.append(sql.SQL("({k}, course_id) {op} (%(after_key)s::{t}, %(after_id)s::uuid)").format(
            k=sql.Identifier(key), op=sql.SQL("<" if descending else ">"), t=sql.SQL(key_type)))
    if f.text:
        prefix, rank = sql.SQL("WITH {} ").format(QUERIES), sql.SQL("ts_rank(search, qs.query)")
        source = sql.SQL("view_catalog.courses JOIN qs ON qs.config = courses.ts_config CROSS JOIN q")
    else:
        prefix, rank, source = sql.SQL(""), sql.SQL("NULL::real"), sql.SQL("view_catalog.courses")
    query = sql.SQL(
        "{prefix}SELECT * FROM (SELECT {columns}, {rank} AS rank FROM {source} WHERE {where}) c"
        " WHERE {outer} ORDER BY {key} {dir}, course_id {dir} LIMIT %(limit)s"
    ).format(
        prefix=prefix, columns=_COLUMNS, rank=rank, source=source,
        where=sql.SQL(" AND ").join(_conditions(f)), outer=sql.SQL(" AND ").join(outer),
        key=sql.Identifier(key), dir=sql.SQL("DESC" if descending else "ASC"),
    )
    with pool.connection() as conn:
        rows = conn.execute(query, params).fetchall()
    items = rows[:limit]
    next_cursor = None
    if len(rows) > limit and items:
        next_cursor = encode_cursor(sort, items[-1][key], items[-1]["course_id"])
    for item in items:
        del item["title_key"]
        if not f.text:
            del item["rank"]
    return {"items": items, "next_cursor": next_cursor}
