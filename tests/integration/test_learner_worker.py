"""The learner worker: killed mid-stream it resumes exactly (the model equals one that never
stopped, prediction for prediction), a rebuild reproduces it, and it wakes on new answers."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from psycopg_pool import ConnectionPool

from tests.learner_samples import seed_answers
from workers.learner import checkpoint
from workers.learner.state import LearnerState
from workers.learner.worker import LearnerWorker, replay

ROOT = Path(__file__).resolve().parents[2]


def saved(pool: ConnectionPool) -> tuple[int, LearnerState | None]:
    with pool.connection() as conn:
        row = conn.execute("SELECT position, state FROM learner.checkpoint").fetchone()
    return (0, None) if row is None else (row["position"], row["state"] and pickle.loads(row["state"]))


def predictions(state: LearnerState, people, skills_of) -> list[float]:
    """Every student's chance on every question, and their mastery of every skill."""
    tracer = state.tracer
    found = [tracer.predict_one(p, q, tuple(s)) for p in people for q, s in skills_of.items()]
    return found + [state.mastery(p, s) for p in people for s in sorted({s[0] for s in skills_of.values()})]


def rows(pool: ConnectionPool) -> dict[str, list]:
    with pool.connection() as conn:
        return {t: conn.execute(f"SELECT * FROM learner.{t} ORDER BY 1, 2").fetchall()
                for t in ("mastery", "answers", "items", "open_attempts")}


def run_until_caught_up(infra, head: int) -> LearnerState:
    stop = threading.Event()
    worker = LearnerWorker(infra.database_url, infra.pool, infra.store, batch_size=50)
    thread = threading.Thread(target=worker.run, args=(stop,))
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while saved(infra.pool)[0] < head and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)
    return saved(infra.pool)[1]


def test_killed_worker_resumes_exactly_and_a_rebuild_reproduces_the_model(fresh_infra, tmp_path):
    infra = fresh_infra
    _, skills_of, people = seed_answers(infra.store, students=40, attempts=3)  # 1 + 240 events, 1,440 answers
    head = infra.store.recorder.max_notification_id()
    proc = subprocess.Popen([sys.executable, "-m", "tests.integration.run_slow_learner", infra.database_url,
                             str(tmp_path)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 180  # the subprocess imports and starts slowly on a loaded machine
        while saved(infra.pool)[0] < head // 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(0.02)  # land inside a batch
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
    interrupted, _ = saved(infra.pool)
    assert 0 < interrupted < head

    resumed = run_until_caught_up(infra, head)
    never_stopped = replay(infra.pool, infra.store, batch_size=1000)
    assert resumed.position == never_stopped.position == head
    assert resumed.tracer.answers == never_stopped.tracer.answers == 40 * 3 * 12
    assert predictions(resumed, people, skills_of) == predictions(never_stopped, people, skills_of)
    assert resumed.tracer.model.weights == never_stopped.tracer.model.weights

    derived = rows(infra.pool)
    assert len(derived["answers"]) == 1440 and len(derived["mastery"]) == 40 * 3
    checkpoint.rebuild(infra.pool)
    rebuilt = run_until_caught_up(infra, head)
    assert predictions(rebuilt, people, skills_of) == predictions(never_stopped, people, skills_of)
    assert rows(infra.pool) == derived
