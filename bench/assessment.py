"""Assessment under load: the start-of-exam spike, and the item analysis of a big quiz.

    .venv/bin/python -m bench.assessment [--students 200] [--attempts 10000] [--skip-http]

1. Spike, in-process: N students (one thread each) start the same 20-question quiz at the same
   moment, save an answer to every question (one command, one event each) and submit, through
   commands.pipeline.execute, with the projection runners running as in `skillhub serve`.
2. Spike over HTTP: the same with N concurrent clients against `skillhub serve` (uvicorn, the
   API and all workers) in a subprocess on 127.0.0.1.
3. Item analysis: 10,000 submitted attempts of a quiz made of the 20 most answered ASSISTments
   2009 items, recorded in bulk (real answers where the student answered the item, a Rasch model
   fitted to the data elsewhere); the attempts read model's catch-up, then the statistics and
   results queries (only the read models they need are running in this part).

A fresh database on the embedded server (or BENCH_DATABASE_URL / DATABASE_URL), dropped at the end.
"""

from __future__ import annotations

import argparse
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from adapters.infrastructure import open_infrastructure
from adapters.security.tokens import TokenIssuer
from bench import assessment_seed as seed
from bench.common import (
    Measurement,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
    timed,
)
from bench.http_server import serve
from commands.assessment import attempts
from commands.pipeline import Actor, Deps, deps_for, execute
from domain.identity import Role
from projections.assessment import quiz_reports, quiz_statistics, quizzes_queries
from projections.assessment.attempts import attempts as attempts_projection
from projections.assessment.question_bank import question_bank
from projections.assessment.quizzes import quizzes as quizzes_projection
from projections.engine.engine import Projection
from projections.engine.tracking import status
from projections.identity.identity import identity
from projections.registry import ALL
from workers.runtime import start_projection_runners
from workers.startup import prepare

SPIKE_QUESTIONS = (
    [seed.choice_question(f"Choice {i}", "spike") for i in range(12)]
    + [{"type": "true_false", "title": f"Statement {i}", "prompt": f"Statement {i} holds.", "correct": i % 2 == 0}
       for i in range(4)]
    + [{"type": "numeric", "title": f"Number {i}", "prompt": "How long?", "answers": [{"value": 1.5, "tolerance": 0.01}],
        "units": [{"unit": "m", "multiplier": 1}, {"unit": "cm", "multiplier": 100}]} for i in range(2)]
    + [{"type": "short_text", "title": f"Word {i}", "prompt": "Which city?", "answers": [{"text": "Paris"}]} for i in range(2)]
)


def answer_for(question: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A right answer 60 % of the time, from the key-free view the student got."""
    right = rng.random() < 0.6
    kind = question["type"]
    if kind == "single_choice":
        return {"option_id": "a" if right else rng.choice("bcd")}
    if kind == "true_false":
        return {"value": rng.random() < 0.5}
    if kind == "numeric":
        return {"text": "150 cm" if right else "2 m"}
    return {"text": "Paris" if right else "Lyon"}


Start = Callable[[int], tuple[Any, list[dict[str, Any]]]]
Answer = Callable[[int, Any, str, dict[str, Any]], None]
Submit = Callable[[int, Any], None]


def spike(name: str, students: int, start: Start, answer: Answer, submit: Submit) -> list[Measurement]:
    """Every student starts, answers each question and submits, all at once."""
    latencies: dict[str, list[float]] = {"start": [], "answer": [], "submit": []}
    errors: list[str] = []
    barrier = threading.Barrier(students + 1)

    def timed_call(kind: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        result = fn()
        latencies[kind].append(time.perf_counter() - t0)
        return result

    def student(i: int) -> None:
        rng = random.Random(i)
        barrier.wait()
        try:
            attempt_id, questions = timed_call("start", lambda: start(i))
            for q in questions:
                timed_call("answer", lambda q=q: answer(i, attempt_id, q["question_id"], answer_for(q, rng)))
            timed_call("submit", lambda: submit(i, attempt_id))
        except Exception as e:  # noqa: BLE001 - counted and reported
            errors.append(f"{type(e).__name__}: {e}"[:200])

    threads = [threading.Thread(target=student, args=(i,), daemon=True) for i in range(students)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    first_error = errors[0] if errors else ""
    return [Measurement(f"{name}: {kind}", len(lat), wall, lat, len(errors) if kind == "answer" else 0, first_error)
            for kind, lat in latencies.items()]


def wait_caught_up(pool: Any, projections: list[Projection] = ALL, timeout: float = 900.0) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout and any(s.lag for s in status(pool, projections)):
        time.sleep(0.1)
    return time.perf_counter() - t0


def in_process_spike(deps: Deps, people: list[Any], quiz_id: Any) -> list[Measurement]:
    actors = [Actor(user_id=p[0], roles=frozenset({"student"})) for p in people]

    def start(i: int) -> tuple[Any, list[dict[str, Any]]]:
        data = execute(attempts.start_attempt, attempts.StartAttempt(quiz_id=quiz_id), actors[i], deps).data
        return data["attempt_id"], data["questions"]

    def answer(i: int, attempt_id: Any, question_id: str, body: dict[str, Any]) -> None:
        cmd = attempts.SaveAnswer(attempt_id=attempt_id, question_id=question_id, answer=body)
        execute(attempts.save_answer, cmd, actors[i], deps)

    def submit(i: int, attempt_id: Any) -> None:
        execute(attempts.submit_attempt, attempts.AttemptRef(attempt_id=attempt_id), actors[i], deps)

    return spike(f"in-process, {len(people)} students", len(people), start, answer, submit)


def http_spike(base_url: str, tokens: list[str], quiz_id: Any) -> list[Measurement]:
    clients = [httpx.Client(base_url=base_url, timeout=300.0, headers={"Authorization": f"Bearer {t}"}) for t in tokens]

    def call(i: int, method: str, path: str, expect: int, body: Any = None) -> dict[str, Any]:
        r = clients[i].request(method, f"/api/v1{path}", json=body)
        if r.status_code != expect:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:150]}")
        return r.json()

    def start(i: int) -> tuple[Any, list[dict[str, Any]]]:
        data = call(i, "POST", f"/quizzes/{quiz_id}/attempts", 201)
        return data["attempt_id"], data["questions"]

    try:
        return spike(
            f"HTTP, {len(tokens)} clients", len(tokens), start,
            lambda i, a, q, body: call(i, "PUT", f"/attempts/{a}/answers/{q}", 200, {"answer": body}),
            lambda i, a: call(i, "POST", f"/attempts/{a}/submission", 200),
        )
    finally:
        for c in clients:
            c.close()


def item_analysis(infra: Any, deps: Deps, teacher: Actor, class_id: Any, args: argparse.Namespace) -> None:
    items, answers = seed.assistments_items(args.questions)
    questions = [seed.choice_question(f"ASSISTments item {row['item_id']}", f"skill {row['skill_id']}")
                 for row in items.iter_rows(named=True)]
    quiz_id, ids = seed.write_quiz(deps, teacher, class_id, questions)
    wait_caught_up(infra.pool, [quizzes_projection])
    snapshot = quizzes_queries.version(infra.pool, quiz_id, 1)["snapshot"]
    patterns, real = seed.response_patterns(items, answers, args.attempts, seed=2009)
    print(f"  ASSISTments: {len(answers)} answers; {len(ids)} items answered {items['n'].min()}-{items['n'].max()}"
          f" times; {real:.1%} of the generated responses are real answers", flush=True)
    t0 = time.perf_counter()
    recorded = sum(seed.bulk_attempts(infra, quiz_id, snapshot, patterns, ids))
    written = time.perf_counter() - t0
    print(Measurement(f"bulk record {args.attempts} attempts", recorded, written).line("events/s"))
    caught = wait_caught_up(infra.pool, [attempts_projection])
    print(f"  attempts read model caught up {caught:.1f} s after the last save"
          f" ({recorded / (written + caught):,.0f} events/s end to end)", flush=True)
    for run in range(2):
        t0 = time.perf_counter()
        stats = quiz_statistics.statistics(infra.pool, quiz_id)
        elapsed = time.perf_counter() - t0
        print(Measurement(f"item analysis, {stats['attempts']} attempts (run {run + 1})", len(stats["items"]), elapsed)
              .line("items/s"), flush=True)
    print(f"  alpha {stats['cronbach_alpha']:.3f}; difficulty {min(i['difficulty'] for i in stats['items']):.2f}-"
          f"{max(i['difficulty'] for i in stats['items']):.2f}; discrimination"
          f" {min(i['discrimination'] for i in stats['items']):.2f}-{max(i['discrimination'] for i in stats['items']):.2f};"
          f" mean score {stats['distribution']['mean']:.1f} %")
    print(timed("results (counted attempt per student)", lambda: len(quiz_reports.results(infra.pool, quiz_id)["students"]))
          .line("students/s"))
    print(timed("results as CSV (polars)", lambda: len(quiz_reports.results_csv(quiz_reports.results(infra.pool, quiz_id))))
          .line("bytes/s"))


def run(url: str, data_dir: Path, args: argparse.Namespace) -> None:
    infra = open_infrastructure(bench_settings(data_dir, db_pool_size=args.pool_size), url)
    workers = None
    try:
        prepare(infra)
        workers = start_projection_runners(infra)
        deps = deps_for(infra)
        teacher_ids = seed.seed_people(infra, 1, Role.TEACHER)[0]
        teacher = Actor(user_id=teacher_ids[0], roles=frozenset({"student", "teacher"}))
        people = seed.seed_people(infra, args.students)
        class_id = seed.open_class(infra, teacher.user_id, [p[0] for p in people])
        if not args.skip_in_process:
            quiz_id, _ = seed.write_quiz(deps, teacher, class_id, SPIKE_QUESTIONS)
            for m in in_process_spike(deps, people, quiz_id):
                print(m.line(), flush=True)
            print(f"  read models caught up {wait_caught_up(infra.pool):.2f} s after the last submission", flush=True)
        if not args.skip_http:
            quiz_id, _ = seed.write_quiz(deps, teacher, class_id, SPIKE_QUESTIONS)
            issuer = TokenIssuer(infra.settings.resolved_secret_key(), 3600)
            tokens = [seed.access_token(issuer, p, ["student"]) for p in people]
            with serve(url, data_dir / "server", args.pool_size) as base_url:
                print(f"  server: skillhub serve at {base_url} (pool size {args.pool_size})", flush=True)
                for m in http_spike(base_url, tokens, quiz_id):
                    print(m.line(), flush=True)
        if not args.skip_analysis:
            # Only the read models the analysis reads keep running: the others' catch-up on the
            # bulk of events would share the 2 cores with the measurement.
            workers.shutdown()
            workers = start_projection_runners(infra, [identity, question_bank, quizzes_projection, attempts_projection])
            item_analysis(infra, deps, teacher, class_id, args)
    finally:
        if workers is not None:
            workers.shutdown()
        infra.close()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", type=int, default=200, help="students answering the same quiz at once")
    p.add_argument("--attempts", type=int, default=10_000, help="attempts generated for the item analysis")
    p.add_argument("--questions", type=int, default=20, help="ASSISTments items in the analysed quiz")
    p.add_argument("--pool-size", type=int, default=20, help="SKILLHUB_DB_POOL_SIZE (in-process and server)")
    p.add_argument("--skip-in-process", action="store_true")
    p.add_argument("--skip-http", action="store_true")
    p.add_argument("--skip-analysis", action="store_true")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# assessment benchmark\n{describe_machine()}")
    print(f"database: {database}; {args.students} students,"
          f" {len(SPIKE_QUESTIONS)} questions each, {args.attempts} attempts analysed\n", flush=True)
    with fresh_database(server) as url:
        run(url, tmp, args)


if __name__ == "__main__":
    main()
