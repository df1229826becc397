"""xAPI: statements made per second by the export and by the forwarder sending to an LRS.

    .venv/bin/python -m bench.xapi [--students 2000] [--batch-size 200]

A fresh database (embedded server, or BENCH_DATABASE_URL / DATABASE_URL) holding, per student,
one class lesson's progress (started, video watched, completed) and one quiz attempt (started,
two answers, submitted) on one of 20 quizzes with a pass mark: 7 learning events making 8
statements (launched, progressed, completed; launched, answered twice, scored, passed or
failed). Then `export_statements` over the whole history, and the forwarder (in this process)
sending everything to the loopback LRS of the tests (tests/xapi_lrs.py, a Python
ThreadingHTTPServer, so its own parsing is part of the time).
"""

from __future__ import annotations

import argparse
import dataclasses
import threading
import time
from datetime import UTC, datetime
from uuid import uuid4

from adapters.infrastructure import open_infrastructure
from bench.common import (
    Measurement,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
)
from domain.attempts import Attempt
from domain.class_progress import LessonProgress
from domain.event_conventions import Cause, caused_by
from domain.quizzes import Audience, Quiz
from projections.streaming.xapi_position import forwarder_position
from tests.xapi_lrs import LocalLrs
from workers.startup import prepare
from workers.streaming.xapi_export import export_statements
from workers.streaming.xapi_forwarder import XapiForwarder
from workers.streaming.xapi_statements import learning_rows_after

QUESTION = {"type": "single_choice"}


def load(store, students: int) -> None:
    class_id, now = uuid4(), datetime.now(UTC)
    with caused_by(Cause(uuid4(), uuid4())):
        quizzes = []
        for i in range(20):
            quiz = Quiz.create(uuid4(), Audience.CLASS, class_id, {"title": f"Quiz {i}"})
            quiz.publish({"settings": {"title": f"Quiz {i}", "pass_mark": 50}, "items": [{"q": 1}], "draws": []})
            quizzes.append(quiz)
        store.record(*quizzes)
        for first in range(0, students, 100):
            batch = []
            for n in range(first, min(first + 100, students)):
                student = uuid4()
                progress = LessonProgress.start(student, class_id, uuid4())
                progress.watch(uuid4(), 60.0, 120.0, 0.5)
                progress.complete()
                layout = [{"question_id": q, "points": 1, "order": None} for q in ("q1", "q2")]
                attempt = Attempt.start(quizzes[n % 20].id, 1, student, 1, 0, layout, now, None, "after_submission")
                for question_id in ("q1", "q2"):
                    attempt.save_answer(QUESTION, question_id, {"option_id": "a"}, now)
                right = n % 3  # 0, 1 or 2 of 2: some fail, some pass
                attempt.submit({q: {"points": float(i < right), "max": 1, "state": "correct" if i < right else
                                    "incorrect"} for i, q in enumerate(("q1", "q2"))}, now)
                batch += [progress, attempt]
            store.record(*batch)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--students", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=200)
    args = p.parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# xAPI benchmark\n{describe_machine()}\ndatabase: {database}\n", flush=True)
    with fresh_database(server) as url:
        infra = open_infrastructure(bench_settings(tmp / "data"), url)
        try:
            prepare(infra)
            load(infra.store, args.students)
            learning = learning_rows_after(infra.pool, 0, 10**9)
            head = learning[-1]["notification_id"]
            print(f"history: {len(learning):,} learning events of {args.students:,} students", flush=True)

            t0 = time.perf_counter()
            count = export_statements(infra.pool, infra.store, infra.settings.public_url, tmp / "statements.jsonl")
            print(Measurement("export --format xapi", count, time.perf_counter() - t0).line("statements/s"))

            lrs = LocalLrs()
            settings = infra.settings.model_copy(update={"xapi_lrs_url": lrs.url, "xapi_lrs_user": "lrs-user",
                                                         "xapi_lrs_password": "lrs-secret",
                                                         "xapi_batch_size": args.batch_size})
            forwarder, stop = XapiForwarder(dataclasses.replace(infra, settings=settings)), threading.Event()
            t0 = time.perf_counter()
            thread = threading.Thread(target=forwarder.run, args=(stop,), daemon=True)
            thread.start()
            while forwarder_position(infra.pool) < head:
                time.sleep(0.01)
            seconds = time.perf_counter() - t0
            stop.set()
            thread.join(10)
            lrs.close()
            sent = sum(len(b) for b in lrs.posts)
            print(Measurement(f"forwarder to a loopback LRS, batches of {args.batch_size} events", sent,
                              seconds).line("statements/s"))
        finally:
            infra.close()


if __name__ == "__main__":
    main()
