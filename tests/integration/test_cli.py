"""The `skillhub` command line against a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.integration.conftest import seed_people

ROOT = Path(__file__).resolve().parents[2]


def skillhub(infra, tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ, "DATABASE_URL": infra.database_url, "SKILLHUB_DATA_DIR": str(tmp_path),
        "SKILLHUB_SECRET_KEY": infra.settings.resolved_secret_key(), "SKILLHUB_LOG_LEVEL": "WARNING", **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "workers.cli", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=60,
    )


def test_admin_create_and_replay_filters(fresh_infra, tmp_path):
    made = skillhub(fresh_infra, tmp_path, "admin", "create", "--email", "root@ops.example.com",
                    SKILLHUB_ADMIN_PASSWORD="a long admin password")
    assert made.returncode == 0, made.stderr
    admin_id = made.stdout.strip().split()[-1]
    people = seed_people(fresh_infra, 2)

    everything = skillhub(fresh_infra, tmp_path, "events", "replay")
    lines = [json.loads(line) for line in everything.stdout.splitlines()]
    assert len(lines) == 3 + 8  # admin: Registered, Claimed, RoleGranted; people: 4 each
    assert [line["position"] for line in lines] == sorted(line["position"] for line in lines)

    mine = skillhub(fresh_infra, tmp_path, "events", "replay", "--person", admin_id)
    records = [json.loads(line) for line in mine.stdout.splitlines()]
    assert {r["type"] for r in records} == {"User.Registered", "EmailClaim.Claimed", "User.RoleGranted"}
    assert records[0]["data"]["email"] == "root@ops.example.com"

    by_type = skillhub(fresh_infra, tmp_path, "events", "replay", "--type", "Session.Started")
    assert len(by_type.stdout.splitlines()) == 2
    by_aggregate = skillhub(fresh_infra, tmp_path, "events", "replay", "--aggregate", str(people[0].id))
    assert len(by_aggregate.stdout.splitlines()) == 3
    later = skillhub(fresh_infra, tmp_path, "events", "replay", "--since", "2999-01-01T00:00:00+00:00")
    assert later.stdout == ""
    # Times without an offset are UTC.
    naive = skillhub(fresh_infra, tmp_path, "events", "replay", "--since", "2024-01-01", "--until", "2999-01-01T00:00")
    assert naive.returncode == 0, naive.stderr
    assert len(naive.stdout.splitlines()) == 11
    backwards = skillhub(fresh_infra, tmp_path, "events", "replay", "--since", "2999-01-01", "--until", "2024-01-01")
    assert backwards.returncode == 2 and "since must be earlier than until" in backwards.stderr


def test_projection_status_and_rebuild(fresh_infra, tmp_path):
    seed_people(fresh_infra, 5)
    status = skillhub(fresh_infra, tmp_path, "projections", "status")
    assert status.returncode == 0
    row = next(line for line in status.stdout.splitlines() if line.startswith("identity"))
    assert row.split()[1:4] == ["0", "20", "20"]
    rebuilt = skillhub(fresh_infra, tmp_path, "projections", "rebuild", "identity")
    assert rebuilt.returncode == 0 and "20 events" in rebuilt.stdout
    status = skillhub(fresh_infra, tmp_path, "projections", "status")
    row = next(line for line in status.stdout.splitlines() if line.startswith("identity"))
    assert row.split()[1:4] == ["20", "20", "0"]


def test_cli_errors_are_clear(fresh_infra, tmp_path):
    unknown = skillhub(fresh_infra, tmp_path, "projections", "rebuild", "nope")
    assert unknown.returncode == 2 and "no projection named 'nope'" in unknown.stderr
    bad = skillhub(fresh_infra, tmp_path, "admin", "create", "--email", "not-an-email", SKILLHUB_ADMIN_PASSWORD="a long admin password")
    assert bad.returncode == 2 and "email" in bad.stderr


def test_a_rebuild_shows_a_progress_bar_on_a_terminal_and_nothing_when_piped(fresh_infra, tmp_path):
    import fcntl
    import pty
    import select
    import struct
    import termios

    from tests.integration.conftest import seed_people

    seed_people(fresh_infra, 50)
    piped = skillhub(fresh_infra, tmp_path, "projections", "rebuild", "identity", "--batch-size", "20")
    assert piped.returncode == 0, piped.stderr
    assert "rebuilt identity: 200 events" in piped.stdout and "event/s" not in piped.stderr + piped.stdout

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 columns wide
    environment = {**os.environ, "DATABASE_URL": fresh_infra.database_url, "SKILLHUB_DATA_DIR": str(tmp_path),
                   "SKILLHUB_SECRET_KEY": fresh_infra.settings.resolved_secret_key(), "SKILLHUB_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen([sys.executable, "-m", "workers.cli", "projections", "rebuild", "identity",
                                "--batch-size", "20"], cwd=ROOT, env=environment, stdout=subprocess.PIPE,
                               stderr=follower, text=True)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(60) == 0
    screen = shown.decode(errors="replace")
    assert "rebuild identity" in screen and "200/200" in screen and "event/s" in screen, screen
