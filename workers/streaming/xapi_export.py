"""`skillhub events export --format xapi`: every learning event of the history as xAPI 2.0
statements, one JSON statement per line (workers/streaming/xapi_statements.py says which events and how).
Written next to the output and moved into place once complete, like the other exports."""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

import orjson
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EventStore
from domain.utc import as_utc
from projections.engine.tracking import log_head
from workers.streaming.export import check_export
from workers.progress import Progress
from workers.streaming.xapi_statements import StatementMaker, learning_rows_after

_CHUNK = 2000


def export_statements(pool: ConnectionPool, store: EventStore, public_url: str, output: Path,
                      since: datetime | None = None, until: datetime | None = None,
                      progress: Progress | None = None) -> int:
    """Write the statements of learning events with since <= time < until; returns how many."""
    since, until = as_utc(since), as_utc(until)
    check_export(output, "jsonl", since, until)  # statements are JSON lines
    maker = StatementMaker(pool, store, public_url)
    fd, staged = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".jsonl")
    count, position, head = 0, 0, log_head(pool)
    try:
        with os.fdopen(fd, "wb") as out:
            while rows := learning_rows_after(pool, position, _CHUNK):
                chosen = [e for e in store.decode_many(rows)
                          if (since is None or e.timestamp >= since) and (until is None or e.timestamp < until)]
                for statement in maker.statements(chosen):
                    out.write(orjson.dumps(statement) + b"\n")
                    count += 1
                position = rows[-1]["notification_id"]
                if progress is not None:
                    progress(position, max(position, head))
        os.replace(staged, output)
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(staged).unlink()
    return count
