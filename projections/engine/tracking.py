"""Where each projection stands: status for operators, waiting for read-your-writes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE
from domain.errors import InvalidInput, SkillhubError
from projections.engine import runner_errors
from projections.engine.engine import Projection, lock_key


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


_APPLIED = (
    "SELECT t.position, (SELECT coalesce(max(notification_id), 0) FROM public.{events}) AS head,"
    " NOT EXISTS (SELECT 1 FROM public.{events} WHERE notification_id > t.position"
    " AND notification_id <= %s AND topic = ANY(%s)) AS none_between FROM {schema}.tracking t"
)


def has_applied(pool: ConnectionPool, projection: Projection, position: int) -> bool:
    """Whether the read model shows everything up to `position`: its tracking reached it, or no
    event of its types lies between the two. Runners write an idle read model's position lazily
    (projections/engine/runner.py), so the second case is the common one for read models a stretch of the
    log did not concern; positions are in commit order, so no event can still appear below it.
    A position past the log's end is InvalidInput: no command returned it."""
    query = sql.SQL(_APPLIED).format(events=sql.Identifier(EVENTS_TABLE), schema=sql.Identifier(projection.schema))
    with pool.connection() as conn:
        try:
            row = conn.execute(query, (position, projection.topics)).fetchone()
        except psycopg.errors.UndefinedTable:  # not created yet (a process still starting)
            return False
    if row is None:
        return False
    if position > row["head"]:
        raise InvalidInput(f"min_position {position} is beyond the end of the log ({row['head']}):"
                           " pass the position a command returned")
    return row["position"] >= position or row["none_between"]


def effective_position(pool: ConnectionPool, projection: Projection, head: int) -> int:
    return head if has_applied(pool, projection, head) else position_of(pool, projection)


def advisory_lock_held(pool: ConnectionPool, key: str) -> bool:
    """Whether some session holds the advisory lock `hashtext(key)` in this database. It shows in
    pg_locks with objid = the key, in the database it belongs to (other databases on the server
    have their own)."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND objid = (hashtext(%s)::bigint & 4294967295)::oid) AS held",
            (key,),
        ).fetchone()["held"]


def status(pool: ConnectionPool, projections: list[Projection]) -> list[ProjectionStatus]:
    head = log_head(pool)
    failing = runner_errors.current(pool)
    result = []
    for p in projections:
        held = advisory_lock_held(pool, lock_key("active", p))
        pos = effective_position(pool, p, head)
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
    deadline = time.monotonic() + timeout
    for p in projections:
        while not has_applied(pool, p, min_position):
            if time.monotonic() >= deadline:
                raise NotCaughtUp(f"read model {p.name} has not reached position {min_position} yet")
            time.sleep(0.01)
