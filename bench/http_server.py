"""Run `skillhub serve` (uvicorn + api.app.create_app + the workers) in a subprocess on a free
loopback port, against a given database, and stop it afterwards. With `split`, the two-process
layout of docker/compose.yaml instead: `skillhub serve --workers none` for the API and
`skillhub worker all` beside it for the followers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.common import SECRET_KEY

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
# --layout of the HTTP benchmarks: the `split` values serve() runs, in order.
LAYOUTS = {"one": [False], "split": [True], "both": [False, True]}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _wait_until_up(proc: subprocess.Popen[bytes], base_url: str, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {log_path}:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server did not answer /healthz within {timeout} s; see {log_path}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@contextmanager
def serve(database_url: str, data_dir: Path, pool_size: int, timeout: float = 60.0,
          split: bool = False) -> Iterator[str]:
    """Yields the server's base URL. The server logs (uvicorn access log included) go to a file."""
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SKILLHUB_DATA_DIR": str(data_dir),
        "SKILLHUB_SECRET_KEY": SECRET_KEY,
        "SKILLHUB_DEV_MODE": "false",
        "SKILLHUB_DB_POOL_SIZE": str(pool_size),
        "SKILLHUB_LOG_LEVEL": "WARNING",
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "server.log"
    api_workers = ["--workers", "none"] if split else []
    with open(log_path, "wb") as log, open(data_dir / "worker.log", "wb") as worker_log:
        followers = subprocess.Popen([sys.executable, "-m", "workers.cli", "worker", "all"], cwd=REPO, env=env,
                                     stdout=worker_log, stderr=subprocess.STDOUT) if split else None
        proc = subprocess.Popen(
            [sys.executable, "-m", "workers.cli", "serve", "--host", HOST, "--port", str(port), *api_workers],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(proc, base_url, log_path, timeout)
            yield base_url
        finally:
            _stop(proc)
            if followers is not None:
                _stop(followers)
