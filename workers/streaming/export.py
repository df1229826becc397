"""`skillhub events export`: the event history for the data team, as Parquet or JSON lines.

One row per event, its CloudEvent attributes as columns: the same content the Kafka relay
publishes (personal data sealed, secrets left out), with `data` as JSON text. Rows stream
through a temporary JSON-lines file next to the output, so memory stays flat however long
the history; the output appears only once complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from psycopg_pool import ConnectionPool

from adapters.events.cloudevents import SealedLog, to_json
from adapters.events.event_store import EventStore
from domain.errors import InvalidInput
from domain.utc import as_utc
from projections.engine.tracking import log_head
from workers.progress import Progress

FORMATS = ("parquet", "jsonl")
SCHEMA = {
    "position": pl.Int64, "id": pl.String, "type": pl.String, "source": pl.String,
    "subject": pl.String, "aggregateversion": pl.Int64, "time": pl.Datetime("us", "UTC"),
    "actorid": pl.String, "commandid": pl.String, "data": pl.String,
}
_CHUNK = 2000


def _row(envelope: dict[str, Any]) -> dict[str, Any]:
    row = {name: envelope.get(name) for name in SCHEMA}
    row["actorid"] = str(row["actorid"]) if row["actorid"] else None
    row["commandid"] = str(row["commandid"]) if row["commandid"] else None
    row["data"] = to_json(envelope["data"]).decode()
    return row


def _check(output: Path, fmt: str, since: datetime | None, until: datetime | None) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if since and until and since >= until:
        raise InvalidInput("--since must be earlier than --until")
    if not output.parent.is_dir():
        raise InvalidInput(f"no such directory: {output.parent}")
    if output.is_dir():
        raise InvalidInput(f"{output} is a directory; give a file name")


def export_history(
    pool: ConnectionPool, store: EventStore, output: Path, fmt: str,
    since: datetime | None = None, until: datetime | None = None, progress: Progress | None = None,
) -> int:
    """Write every event with since <= time < until to output; returns the number of rows.
    `progress(position, head)` after each chunk."""
    since, until = as_utc(since), as_utc(until)
    _check(output, fmt, since, until)
    sealed = SealedLog(pool, store)
    fd, staged = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".jsonl")
    parquet = Path(staged).with_suffix(".parquet")
    count, position, head = 0, 0, log_head(pool)
    try:
        with os.fdopen(fd, "wb") as out:
            while rows := sealed.rows_after(position, _CHUNK):
                chosen = [
                    _row(e) for e in sealed.envelopes(rows, after=position)
                    if (since is None or e["time"] >= since) and (until is None or e["time"] < until)
                ]
                position = rows[-1]["notification_id"]
                if progress is not None:
                    progress(position, max(position, head))
                if chosen:
                    pl.DataFrame(chosen, schema=SCHEMA).write_ndjson(out)
                    count += len(chosen)
        if fmt == "parquet":
            pl.scan_ndjson(staged, schema=SCHEMA).sink_parquet(parquet)
            os.replace(parquet, output)
        else:
            os.replace(staged, output)
    finally:
        for leftover in (Path(staged), parquet):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return count
