"""The layout that scales, as separate processes on one database: two API processes
(`skillhub serve --workers none`) and two `skillhub worker all` processes, one active and one
a hot standby. Everything written through either API is applied exactly once; killing the
active worker process with SIGKILL lets the standby take over within seconds, losing nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from projections.engine.rebuild import rebuild
from projections.engine.tracking import log_head, status
from projections.registry import ALL
from tests.integration.test_backup_restore import read_models
from tests.streaming import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _start(infra, data_dir: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": infra.database_url, "SKILLHUB_DATA_DIR": str(data_dir),
           "SKILLHUB_SECRET_KEY": infra.settings.resolved_secret_key(), "SKILLHUB_LOG_LEVEL": "WARNING"}
    log = (data_dir / f"{args[0]}-{uuid4().hex[:4]}.log").open("ab")
    return subprocess.Popen([sys.executable, "-m", "workers.cli", *args], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def _until(check, timeout: float, what: str) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, f"timed out: {what}"
        time.sleep(0.05)
    return time.monotonic() - started


def _all_active(infra) -> bool:
    return all(s.active_runner for s in status(infra.pool, ALL))


def _caught_up(infra) -> bool:
    return all(s.lag == 0 for s in status(infra.pool, ALL))


def _register(base: str, n: int) -> None:
    for _ in range(n):
        r = httpx.post(f"{base}/api/v1/users", json={"email": f"s-{uuid4().hex[:8]}@scale.example.com",
                                                     "password": "a long enough password", "display_name": "Scaled"},
                       timeout=30)
        assert r.status_code == 201, r.text


def test_two_apis_and_two_worker_processes_apply_everything_once_and_survive_a_kill(fresh_infra, tmp_path):
    infra = fresh_infra
    ports = [free_port(), free_port()]
    apis = [_start(infra, tmp_path, "serve", "--port", str(p), "--workers", "none") for p in ports]
    first = _start(infra, tmp_path, "worker", "all")
    second = None
    try:
        _until(lambda: _all_active(infra), 90, "the first worker process's followers became active")
        second = _start(infra, tmp_path, "worker", "all")
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        _until(lambda: all(_healthy(b) for b in bases), 90, "both APIs answer")
        for base in bases:
            _register(base, 3)
        _until(lambda: _caught_up(infra), 30, "the read models caught up")
        time.sleep(2)  # the standby has started and waits on the locks

        first.send_signal(signal.SIGKILL)
        first.wait(10)
        took = _until(lambda: _all_active(infra), 30, "the standby took over every read model")
        print(f"standby take-over: {took:.2f} s")
        for base in bases:
            _register(base, 3)
        head = log_head(infra.pool)
        _until(lambda: _caught_up(infra) and log_head(infra.pool) == head, 30, "the standby applied what followed")
        assert took < 10
    finally:
        for p in [*apis, first, *([second] if second else [])]:
            if p.poll() is None:
                p.terminate()
                p.wait(20)
    live = read_models(infra)
    for projection in ALL:  # exactly once: what the processes built equals a fresh rebuild
        rebuild(infra.pool, infra.store, projection, 100)
    assert read_models(infra) == live


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
