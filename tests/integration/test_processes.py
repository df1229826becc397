"""What `make run` does, as separate processes: `skillhub demo load`, then the API in one process
and the projection workers in another, both on the same embedded PostgreSQL (the second process
joins the server the first started), and a clean stop that takes the server down with the last
holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.streaming import free_port

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "skillhub-demo-1"


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SKILLHUB_DATABASE_URL")}
    return {**env, "SKILLHUB_DATA_DIR": str(data_dir), "SKILLHUB_LOG_LEVEL": "WARNING"}


def _start(data_dir: Path, *args: str) -> subprocess.Popen:
    log = (data_dir / f"{args[0]}.log").open("ab")
    return subprocess.Popen([sys.executable, "-m", "workers.cli", *args], cwd=ROOT, env=_env(data_dir),
                            stdout=log, stderr=subprocess.STDOUT)


def _wait_ready(base: str, data_dir: Path, timeout: float = 120) -> dict:
    deadline, last = time.monotonic() + timeout, "no answer"
    while time.monotonic() < deadline:
        try:
            r = httpx.get(f"{base}/readyz", timeout=2)
            if r.status_code == 200 and all(p["active_runner"] for p in r.json()["projections"]):
                return r.json()
            last = r.text
        except httpx.TransportError as e:
            last = repr(e)
        time.sleep(0.3)
    logs = {log.name: log.read_text()[-3000:] for log in data_dir.glob("*.log")}
    raise AssertionError(f"the API did not become ready; last /readyz: {last}; logs: {logs}")


def _postmaster_alive(data_dir: Path) -> bool:
    pid_file = data_dir / "postgres" / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().split()[0]), 0)
    except ProcessLookupError:
        return False
    return True


def test_demo_api_and_workers_as_separate_processes_on_one_embedded_server(tmp_path):
    loaded = subprocess.run([sys.executable, "-m", "workers.cli", "demo", "load"], cwd=ROOT,
                            env=_env(tmp_path), capture_output=True, text=True, timeout=180)
    assert loaded.returncode == 0, loaded.stderr
    assert not _postmaster_alive(tmp_path)  # the last holder exited: the server stopped with it

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    api = _start(tmp_path, "serve", "--port", str(port), "--workers", "none")
    workers = _start(tmp_path, "worker", "projections")
    try:
        _wait_ready(base, tmp_path)
        courses = httpx.get(f"{base}/api/v1/courses", params={"limit": 50}).json()["items"]
        assert "Fractions, step by step" in {c["title"] for c in courses}
        login = httpx.post(f"{base}/api/v1/sessions",
                           json={"email": "alice@demo.skillhub.example.com", "password": DEMO_PASSWORD})
        assert login.status_code == 201, login.text
        alice = {"Authorization": f"Bearer {login.json()['access_token']}"}
        classes = httpx.get(f"{base}/api/v1/me/classes", headers=alice).json()["items"]
        assert [c["name"] for c in classes] == ["Demo class: Fractions"]
        # A write in the API process is read back through the other process's projections.
        made = httpx.post(f"{base}/api/v1/users", json={
            "email": "newcomer@example.com", "password": "a long enough password", "display_name": "Newcomer"})
        assert made.status_code == 201, made.text
        login = httpx.post(f"{base}/api/v1/sessions",
                           json={"email": "newcomer@example.com", "password": "a long enough password"})
        me = httpx.get(f"{base}/api/v1/users/me", params={"min_position": made.json()["position"]},
                       headers={"Authorization": f"Bearer {login.json()['access_token']}"})
        assert me.status_code == 200 and me.json()["display_name"] == "Newcomer"
    finally:
        for process in (api, workers):
            process.send_signal(signal.SIGTERM)
        codes = [process.wait(30) for process in (api, workers)]
    logs = [(tmp_path / f"{name}.log").read_text() for name in ("serve", "worker")]
    # uvicorn shuts down gracefully, then re-raises the signal: 143 is "ended by SIGTERM".
    assert codes[0] in (0, 128 + signal.SIGTERM) and codes[1] == 0, logs
    assert "Application shutdown complete" in logs[0] and "Traceback" not in "".join(logs), logs
    assert not _postmaster_alive(tmp_path)


def test_processes_starting_together_on_a_new_data_folder_all_come_up(tmp_path):
    """The embedded server's first start (initdb, and as root the OS user) happens once, under a
    file lock; the other processes wait for it and join the same server."""
    ports = [free_port() for _ in range(4)]
    logs = [(tmp_path / f"serve-{port}.log").open("ab") for port in ports]
    processes = [
        subprocess.Popen([sys.executable, "-m", "workers.cli", "serve", "--port", str(port), "--workers", "none"],
                         cwd=ROOT, env=_env(tmp_path), stdout=log, stderr=subprocess.STDOUT)
        for port, log in zip(ports, logs)
    ]
    try:
        for port in ports:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, [p.read_text()[-2000:] for p in tmp_path.glob("*.log")]
                assert all(p.poll() is None for p in processes), [p.read_text()[-2000:] for p in tmp_path.glob("*.log")]
                time.sleep(0.3)
        made = httpx.post(f"http://127.0.0.1:{ports[0]}/api/v1/users", json={
            "email": "first@example.com", "password": "a long enough password", "display_name": "First"})
        assert made.status_code == 201, made.text
        # Every process writes to the one server the first of them started.
        again = httpx.post(f"http://127.0.0.1:{ports[3]}/api/v1/users", json={
            "email": "first@example.com", "password": "a long enough password", "display_name": "First"})
        assert again.status_code == 409, again.text
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(30)
    assert not _postmaster_alive(tmp_path)
