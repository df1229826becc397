"""Queries on the question bank read model (schema-qualified), and its export as Moodle files."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from adapters.moodle.gift_export import render_gift
from adapters.moodle.question_files import WrittenFile
from adapters.moodle.xml_export import render_moodle_xml
from adapters.moodle.xml_media import MediaFiles
from projections.reading.pagination import Kind, decode_cursor, page

_QUESTION = ("seq, question_id, bank_id, type, title, skills, tags, revision, retired, created_at, updated_at,"
             " content")


def bank(pool: ConnectionPool, bank_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT b.*, (SELECT count(*) FROM view_question_bank.questions q"
            "  WHERE q.bank_id = b.bank_id AND NOT q.retired) AS question_count"
            " FROM view_question_bank.banks b WHERE bank_id = %s",
            (bank_id,),
        ).fetchone()


def banks_of(pool: ConnectionPool, owner_ids: list[UUID]) -> list[dict[str, Any]]:
    """Banks of a teacher and of the courses they own."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT * FROM view_question_bank.banks WHERE owner_id = ANY(%s) ORDER BY created_at, bank_id",
            (owner_ids,),
        ).fetchall()


def questions(
    pool: ConnectionPool, bank_id: UUID, *, limit: int, cursor: str | None, skill: str | None = None,
    tag: str | None = None, kind: str | None = None, include_retired: bool = False,
) -> dict[str, Any]:
    where, params = ["bank_id = %s"], [bank_id]
    after = decode_cursor(cursor, Kind.WHOLE)
    if after:
        where.append("seq > %s")
        params += after
    if skill:
        where.append("%s = ANY(skills)")
        params.append(skill.strip().lower())
    if tag:
        where.append("%s = ANY(tags)")
        params.append(tag.strip().lower())
    if kind:
        where.append("type = %s")
        params.append(kind)
    if not include_retired:
        where.append("NOT retired")
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT {_QUESTION} FROM view_question_bank.questions WHERE {' AND '.join(where)}"
            " ORDER BY seq LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "seq")


def question(pool: ConnectionPool, question_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(
            f"SELECT {_QUESTION} FROM view_question_bank.questions WHERE question_id = %s", (question_id,)
        ).fetchone()


def questions_with_skill(pool: ConnectionPool, bank_id: UUID, skill: str) -> list[UUID]:
    """Candidates for a random draw, in bank order (a stable order for the seeded draw)."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT question_id FROM view_question_bank.questions"
            " WHERE bank_id = %s AND %s = ANY(skills) AND NOT retired ORDER BY seq",
            (bank_id, skill.strip().lower()),
        ).fetchall()
    return [r["question_id"] for r in rows]


def bank_contents(pool: ConnectionPool, bank_id: UUID) -> list[dict[str, Any]]:
    """Every live question's content, in bank order (for export)."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT content FROM view_question_bank.questions WHERE bank_id = %s AND NOT retired"
            " ORDER BY seq",
            (bank_id,),
        ).fetchall()
    return [r["content"] for r in rows]


def export_bank(pool: ConnectionPool, bank_id: UUID, fmt: str, files: MediaFiles | None = None) -> WrittenFile:
    """The file, with what the format could not carry; Moodle XML embeds the linked `files`."""
    contents = bank_contents(pool, bank_id)
    return render_moodle_xml(contents, files) if fmt == "moodle_xml" else render_gift(contents)
