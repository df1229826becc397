"""Where each projection stands: status for operators, waiting for read-your-writes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.event_store import EVENTS_TABLE
from domain.errors import InvalidInput, SkillhubError
from projections import runner_errors
from projections.engine import Projection, lock_key


class NotCaughtUp(SkillhubError):
    title = "Read model not caught up"


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    position: int
    head: int
    lag: int
    active_runner: bool
    # Set while the runner keeps failing (it retries with a growing pause).
    last_error: str | None = None
    failures: int = 0
    failing_since: datetime | None = None


def log_head(pool: ConnectionPool) -> int:
    with pool.connection() as conn:
        row = conn.execute(
            sql.SQL("SELECT coalesce(max(notification_id), 0) AS head FROM public.{}").format(
                sql.Identifier(EVENTS_TABLE)
            )
        ).fetchone()
    return row["head"]


def position_of(pool: ConnectionPool, projection: Projection) -> int:
    with pool.connection() as conn:
        exists = conn.execute("SELECT to_regclass(%s) AS t", (f"{projection.schema}.tracking",)).fetchone()
        if exists["t"] is None:
            return 0
        row = conn.execute(
            sql.SQL("SELECT position FROM {}.tracking").format(sql.Identifier(projection.schema))
        ).fetchone()
    return row["position"] if row else 0


def status(pool: ConnectionPool, projections: list[Projection]) -> list[ProjectionStatus]:
    head = log_head(pool)
    failing = runner_errors.current(pool)
    result = []
    for p in projections:
        with pool.connection() as conn:
            # An advisory lock held by a session shows in pg_locks with objid = the key, in the
            # database it belongs to (other databases on the server have their own).
            held = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                " AND objid = (hashtext(%s)::bigint & 4294967295)::oid) AS held",
                (lock_key("active", p),),
            ).fetchone()["held"]
        pos = position_of(pool, p)
        error = failing.get(p.name) or {}
        result.append(ProjectionStatus(
            p.name, pos, head, max(head - pos, 0), held,
            error.get("error"), error.get("failures", 0), error.get("failing_since"),
        ))
    return result


def wait_for_position(
    pool: ConnectionPool, projections: list[Projection], min_position: int | None, timeout: float
) -> None:
    """Read-your-writes: wait until every given read model has applied min_position.

    A position the log has not reached was not returned by any command: waiting for it would
    only end in a 503, so it is refused at once."""
    if not min_position:
        return
    deadline, head = time.monotonic() + timeout, None
    for p in projections:
        while position_of(pool, p) < min_position:
            if head is None and min_position > (head := log_head(pool)):  # asked only when behind
                raise InvalidInput(f"min_position {min_position} is beyond the end of the log ({head}):"
                                   " pass the position a command returned")
            if time.monotonic() >= deadline:
                raise NotCaughtUp(f"read model {p.name} has not reached position {min_position} yet")
            time.sleep(0.01)
