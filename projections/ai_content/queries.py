"""Queries of the AI tools' read model (projection.py): accepted topics, lesson-question links
and question drafts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page


def topics(pool: ConnectionPool, course_id: UUID, lesson_id: UUID | None) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT course_id, lesson_id, skills, tags, key_concepts, analyser_version, source_position, accepted_by,"
            " accepted_at FROM view_ai_content.topics WHERE course_id = %s AND lesson_id IS NOT DISTINCT FROM %s"
            " AND accepted_at IS NOT NULL", (course_id, lesson_id)).fetchone()


def lesson_links(pool: ConnectionPool, lesson_id: UUID) -> list[dict[str, Any]]:
    """Questions of the lesson's course banks that name one of its accepted skills."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT skill, question_id, bank_id FROM view_ai_content.lesson_question_links"
            " WHERE lesson_id = %s AND same_course ORDER BY skill, question_id LIMIT 1000", (lesson_id,)).fetchall()


def lessons_for_skills(pool: ConnectionPool, skills: list[str]) -> list[dict[str, Any]]:
    """For mastery: the lessons whose authors accepted these skills (names as questions spell them)."""
    normal = [" ".join(s.split()).lower() for s in skills]
    with pool.connection() as conn:
        return conn.execute(
            "SELECT skill, lesson_id, course_id FROM view_ai_content.lesson_skills WHERE skill = ANY(%s)"
            " ORDER BY skill, course_id, lesson_id", (normal,)).fetchall()


def drafts(pool: ConnectionPool, course_id: UUID, lesson_id: UUID | None, status: str | None, limit: int,
           cursor: str | None) -> dict[str, Any]:
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT draft_id, course_id, lesson_id, status, content, source_sentence, generator, source_position,"
            " created_at, created_by, question_id, bank_id, reason FROM view_ai_content.drafts"
            " WHERE course_id = %s AND (%s::uuid IS NULL OR lesson_id = %s) AND (%s::text IS NULL OR status = %s)"
            " AND (%s::timestamptz IS NULL OR (created_at, draft_id) > (%s::timestamptz, %s::uuid))"
            " ORDER BY created_at, draft_id LIMIT %s",
            (course_id, lesson_id, lesson_id, status, status, after and after[0], after and after[0],
             after and after[1], limit + 1)).fetchall()
    return page(rows, limit, "created_at", "draft_id")


def draft(pool: ConnectionPool, draft_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute("SELECT * FROM view_ai_content.drafts WHERE draft_id = %s", (draft_id,)).fetchone()
