"""Media read model: every uploaded file's metadata, for the uploader's library and for lessons."""

from __future__ import annotations

import psycopg

from domain.event_conventions import ERASED
from domain.identity import User
from domain.media import Media
from projections.engine.engine import Projection

media = Projection(
    name="media",
    tables=[
        """CREATE TABLE IF NOT EXISTS media (
            media_id uuid PRIMARY KEY, uploader_id uuid NOT NULL, sha256 text NOT NULL, size bigint NOT NULL,
            content_type text NOT NULL, kind text NOT NULL, filename text, uploaded_at timestamptz NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS media_uploader ON media (uploader_id, uploaded_at, media_id)",
    ],
)


@media.on
def uploaded(cur: psycopg.Cursor, e: Media.Uploaded) -> None:
    cur.execute(
        "INSERT INTO media (media_id, uploader_id, sha256, size, content_type, kind, filename, uploaded_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (media_id) DO NOTHING",
        (e.originator_id, e.uploader_id, e.sha256, e.size, e.content_type, e.kind,
         None if e.filename == ERASED else e.filename, e.timestamp),
    )


@media.on
def uploader_erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    cur.execute("UPDATE media SET filename = NULL WHERE uploader_id = %s", (e.originator_id,))
