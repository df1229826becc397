"""Queries on the media read model."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page

_COLUMNS = "media_id, sha256, size, content_type, kind, uploaded_at"


def uploads_of(pool: ConnectionPool, uploader_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    where, params = ["uploader_id = %s"], [uploader_id]
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    if after:
        where.append("(uploaded_at, media_id) > (%s::timestamptz, %s::uuid)")
        params += after
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS}, filename FROM view_media.media WHERE {' AND '.join(where)}"
            " ORDER BY uploaded_at, media_id LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "uploaded_at", "media_id")
