"""`skillhub backup`: the event log, the personal keys and the operational state the log does not
hold, read in one snapshot, plus the media blobs, into a folder with a manifest of checksums.

What is left out is what can be made again: every read model (`view_*` schemas, rebuilt from the
log on restore) and short-lived state (login throttles, idempotency keys, runner errors). What
is kept beside the log matters: the notification outbox (without it a rebuild would send every
e-mail again), the hash chain (tamper evidence), and the positions of the relay and workers.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg import sql

from adapters.events.event_store import EVENTS_TABLE
from adapters.infrastructure import Infrastructure

FORMAT = 1
NOT_BACKED_UP = {"throttle_attempts", "idempotency_keys", "projection_runner_errors"}
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Table:
    schema: str
    name: str

    @property
    def file(self) -> str:
        return f"{self.schema}.{self.name}.copy"

    @property
    def ident(self) -> sql.Composable:
        return sql.Identifier(self.schema, self.name)


def kept_tables(conn: psycopg.Connection) -> list[Table]:
    """Every table outside the read models' `view_*` schemas and the system's, but the short-lived ones."""
    rows = conn.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        " AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'view\\_%%'"
        " ORDER BY table_schema, table_name").fetchall()
    return [Table(r["table_schema"], r["table_name"]) for r in rows if r["table_name"] not in NOT_BACKED_UP]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def backup(infra: Infrastructure, output: Path) -> dict:
    """Writes the backup into `output` (which must not exist yet); returns the manifest."""
    output.mkdir(parents=True)
    files: dict[str, str] = {}
    counts: dict[str, int] = {}
    with psycopg.connect(infra.database_url) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")  # one snapshot for all
        conn.row_factory = psycopg.rows.dict_row
        head = conn.execute(sql.SQL("SELECT coalesce(max(notification_id), 0) AS head FROM public.{}")
                            .format(sql.Identifier(EVENTS_TABLE))).fetchone()["head"]
        for table in kept_tables(conn):
            with open(output / table.file, "wb") as f, conn.cursor().copy(
                    sql.SQL("COPY {} TO STDOUT (FORMAT binary)").format(table.ident)) as copy:
                for block in copy:
                    f.write(block)
            counts[f"{table.schema}.{table.name}"] = conn.execute(
                sql.SQL("SELECT count(*) AS n FROM {}").format(table.ident)).fetchone()["n"]
            files[table.file] = sha256_of(output / table.file)
    media = media_root(infra)
    if media is not None and media.exists():
        for blob in sorted(p for p in media.rglob("*") if p.is_file() and "tmp" not in p.relative_to(media).parts):
            target = output / "media" / blob.relative_to(media)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(blob, target)
            files[str(target.relative_to(output))] = blob.name  # content-addressed: the name is its sha256
    manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(), "log_head": head,
                "tables": counts, "files": files}
    (output / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def media_root(infra: Infrastructure) -> Path | None:
    """The local media folder; None with S3 (the bucket's own versioning backs it up)."""
    s = infra.settings
    return None if s.media_s3_bucket else (s.media_dir or s.data_dir / "media")
