"""`skillhub restore`: a backup (workers/operations/backup.py) into an empty database, then every
read model rebuilt from the restored log.

Checked before anything is written: the manifest's format, every file's checksum, and that the
database holds no events; a bad backup or a database in use changes nothing. The secret key
must be the one the backup was made under (the personal keys are wrapped with it).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from psycopg import sql

from adapters.events.event_store import EVENTS_TABLE
from adapters.infrastructure import Infrastructure
from domain.errors import Conflict, InvalidInput
from projections.engine.rebuild import rebuild
from projections.registry import ALL
from workers.operations.backup import FORMAT, MANIFEST, Table, media_root, sha256_of


def _checked_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as e:
        raise InvalidInput(f"{source} is not a SkillHub backup: {e}") from None
    if manifest.get("format") != FORMAT:
        raise InvalidInput(f"backup format {manifest.get('format')} is not {FORMAT}")
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file() or sha256_of(path) != expected:
            raise InvalidInput(f"backup file {name} is missing or damaged (checksum differs)")
    return manifest


def restore(infra: Infrastructure, source: Path, progress: Callable[[str], None] = lambda _: None) -> dict:
    """Returns the manifest; raises InvalidInput (bad backup) or Conflict (database not empty)."""
    manifest = _checked_manifest(source)
    with infra.pool.connection() as conn, conn.transaction():
        head = conn.execute(sql.SQL("SELECT count(*) AS n FROM public.{}").format(sql.Identifier(EVENTS_TABLE)))
        if head.fetchone()["n"]:
            raise Conflict("the database already holds events: restore only into an empty one")
        for qualified in _referenced_first(conn, list(manifest["tables"])):
            table = Table(*qualified.split(".", 1))
            conn.execute(sql.SQL("TRUNCATE {} CASCADE").format(table.ident))
            with open(source / table.file, "rb") as f, conn.cursor().copy(
                    sql.SQL("COPY {} FROM STDIN (FORMAT binary)").format(table.ident)) as copy:
                while block := f.read(1 << 20):
                    copy.write(block)
            _move_sequences(conn, table)
            progress(f"restored {qualified}: {manifest['tables'][qualified]:,} rows")
    media = media_root(infra)
    for name, sha in manifest["files"].items():
        if name.startswith("media/") and media is not None:
            target = media / Path(name).relative_to("media")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, target)
    for projection in ALL:
        report = rebuild(infra.pool, infra.store, projection, infra.settings.projection_batch_size)
        progress(f"rebuilt {projection.name}: {report.events_applied:,} events")
    return manifest


def _referenced_first(conn, tables: list[str]) -> list[str]:
    """The tables ordered so that a table comes after every table its foreign keys point to."""
    edges = conn.execute(
        "SELECT cn.nspname || '.' || cc.relname AS child, pn.nspname || '.' || pc.relname AS parent"
        " FROM pg_constraint c JOIN pg_class cc ON cc.oid = c.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace"
        " JOIN pg_class pc ON pc.oid = c.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
        " WHERE c.contype = 'f'").fetchall()
    parents = {t: {e["parent"] for e in edges if e["child"] == t} & set(tables) - {t} for t in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered)]
        if not ready:
            raise InvalidInput("the backup's tables reference each other in a cycle")
        ordered += ready
    return ordered


def _move_sequences(conn, table: Table) -> None:
    """Serial columns continue after the restored rows, not from 1."""
    columns = conn.execute(
        "SELECT column_name, pg_get_serial_sequence(%s, column_name) AS seq FROM information_schema.columns"
        " WHERE table_schema = %s AND table_name = %s",
        (f'"{table.schema}"."{table.name}"', table.schema, table.name)).fetchall()
    for c in columns:
        if c["seq"]:
            conn.execute(sql.SQL("SELECT setval(%s, coalesce(m, 1), m IS NOT NULL) FROM (SELECT max({col}) AS m FROM {t}) s")
                         .format(col=sql.Identifier(c["column_name"]), t=table.ident), (c["seq"],))
