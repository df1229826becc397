"""Synthetic read models: N extra projections that each consume the attempt events and write one
row per event into their own table, to see what adding read models costs the write path.

In-process, pass `ALL + synthetic_read_models(N)` to `start_projection_runners`. For the HTTP
server, `serve_with_models` starts `skillhub serve` through this module's launcher

    python -m bench.synthetic_models --count N serve --host 127.0.0.1 --port 8000

which adds them to `projections.registry.ALL` (in place, before the CLI is imported, so every
module sees the same list) and then runs the `skillhub` command line unchanged.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import psycopg
from psycopg_pool import ConnectionPool

from bench.http_server import serve
from domain.attempts import Attempt
from projections.engine.engine import Projection
from projections.engine.tracking import status
from projections.registry import ALL

PREFIX = "bench_synthetic_"
TABLE = (
    "CREATE TABLE IF NOT EXISTS attempt_events ("
    " attempt_id uuid NOT NULL, version int NOT NULL, kind text NOT NULL, at timestamptz NOT NULL,"
    " PRIMARY KEY (attempt_id, version))"
)


def _record(cur: psycopg.Cursor, e: Any) -> None:
    # ON CONFLICT: a batch applied again after a failure must not fail on its own rows.
    cur.execute("INSERT INTO attempt_events (attempt_id, version, kind, at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING", (e.originator_id, e.originator_version, type(e).__name__, e.timestamp))


def synthetic_read_models(count: int) -> list[Projection]:
    """`count` read models, each with its own schema (view_bench_synthetic_NN) and table."""
    models = []
    for n in range(count):
        p = Projection(name=f"{PREFIX}{n:02d}", tables=[TABLE])
        p.on(Attempt.Started, Attempt.AnswerSaved, Attempt.TextAnswerSaved, Attempt.Submitted)(_record)
        models.append(p)
    return models


def wait_followers_active(pool: ConnectionPool, projections: list[Projection], timeout: float = 20.0) -> float:
    """Seconds until every read model has an active follower (its advisory lock is held), e.g.
    after a server started; gives up quietly after `timeout` (the lag numbers will show it)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout and not all(s.active_runner for s in status(pool, projections)):
        time.sleep(0.2)
    return time.perf_counter() - t0


@contextmanager
def serve_with_models(database_url: str, data_dir: Path, pool_size: int, count: int,
                      split: bool = False) -> Iterator[str]:
    """bench.http_server.serve, with `count` synthetic read models in the server. The one launch
    is rerouted through this module's launcher, so the environment, port, health check and
    shutdown stay those of serve()."""
    if count == 0:
        with serve(database_url, data_dir, pool_size, split=split) as base_url:
            yield base_url
        return
    launch = subprocess.Popen

    def popen(argv: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        i = argv.index("workers.cli")
        return launch([*argv[:i], "bench.synthetic_models", "--count", str(count), *argv[i + 1:]], **kwargs)

    with ExitStack() as stack:
        with mock.patch.object(subprocess, "Popen", popen):
            base_url = stack.enter_context(serve(database_url, data_dir, pool_size, split=split))
        yield base_url


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "--count":
        print("usage: python -m bench.synthetic_models --count N <skillhub arguments>", file=sys.stderr)
        return 2
    ALL.extend(synthetic_read_models(int(argv[1])))
    from workers import (
        cli,  # after the extension: a module copying ALL at import gets all of them
    )

    return cli.main(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
