"""Next-step and mastery endpoint latency with many students.

    .venv/bin/python -m bench.next_steps [--students 100000] [--requests 3000] [--threads 4]

Fills the learner worker's tables in bulk (COPY) with what the worker writes for that many
students: mastery rows (6 skills each, on chains of prerequisites), their answers (12 each),
question statistics, open attempts for one in ten, the skill map, and a checkpoint so the
worker of the server resumes instead of starting afresh. Then `skillhub serve` answers
GET /api/v1/learners/{id}/next-steps (which also records the suggestions shown) and
GET /api/v1/learners/{id}/mastery for random students, as an admin, from several threads.
"""

from __future__ import annotations

import argparse
import pickle
import random
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx

from adapters.infrastructure import open_infrastructure
from adapters.security.tokens import TokenIssuer
from bench.assessment_seed import access_token, seed_people
from bench.common import (
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
    run_concurrently,
)
from bench.http_server import serve
from domain.identity import Role
from projections.learner.next_steps import next_steps as planned
from workers.learner.state import LearnerState
from workers.learner.tracing import MODEL_VERSION
from workers.startup import prepare

SKILLS, CHAIN, QUESTIONS = 60, 6, 3000


def fill(conn, students: list[UUID], rng: random.Random) -> None:
    now = datetime.now(UTC)
    with conn.cursor() as cur:
        with cur.copy("COPY learner.skills FROM STDIN") as copy:
            for k in range(SKILLS):
                copy.write_row((f"skill-{k}", [f"skill-{k - 1}"] if k % CHAIN else [], [], 1))
        with cur.copy("COPY learner.items FROM STDIN") as copy:
            for q in range(QUESTIONS):
                seen = rng.randint(5, 500)
                copy.write_row((f"q-{q}", [f"skill-{q % SKILLS}"], seen, rng.randint(0, seen)))
        answered = []  # one COPY at a time on a connection
        with cur.copy("COPY learner.mastery FROM STDIN") as copy:
            position = 1
            for student in students:
                chain = rng.randrange(SKILLS // CHAIN) * CHAIN
                for k in range(chain, chain + CHAIN):
                    p, n = rng.random(), rng.randint(1, 12)
                    last = now - timedelta(days=rng.uniform(0, 60))
                    copy.write_row((student, f"skill-{k}", p, max(0, p - 0.2), min(1, p + 0.2), n,
                                    round(p * n), last, MODEL_VERSION, position))
                    for _ in range(2):
                        q = k + SKILLS * rng.randrange(QUESTIONS // SKILLS)
                        answered.append((position, f"q-{q}", student, [f"skill-{k}"], rng.random() < p, last))
                        position += 1
        with cur.copy("COPY learner.answers FROM STDIN") as copy:
            for row in answered:
                copy.write_row(row)
        with cur.copy("COPY learner.open_attempts FROM STDIN") as copy:
            for student in students[::10]:
                copy.write_row((UUID(int=rng.getrandbits(128)), student, UUID(int=rng.getrandbits(128)), now, 1))
        cur.execute("INSERT INTO learner.checkpoint (model_version, position, state) VALUES (%s, 0, %s)",
                    (MODEL_VERSION, pickle.dumps(LearnerState(), protocol=5)))
        cur.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    tmp, server, database = bench_server()
    print(f"# next steps benchmark\n{describe_machine()}\ndatabase: {database}\n", flush=True)
    rng = random.Random(11)
    students = [UUID(int=rng.getrandbits(128)) for _ in range(args.students)]
    with fresh_database(server) as url:
        infra = open_infrastructure(bench_settings(tmp / "data"), url)
        try:
            prepare(infra)
            admin = seed_people(infra, 1, Role.ADMIN)[0]
            token = access_token(TokenIssuer(infra.settings.resolved_secret_key(), 3600), admin, ["admin"])
            t0 = time.perf_counter()
            with infra.pool.connection() as conn:
                fill(conn, students, rng)
            print(f"filled {args.students:,} students ({args.students * CHAIN:,} mastery rows,"
                  f" {args.students * CHAIN * 2:,} answers) in {time.perf_counter() - t0:.1f} s", flush=True)
            # The query alone, in this process, one at a time: the cost without HTTP and auth.
            print(run_concurrently("next_steps() in process", lambda _i: planned(
                infra.pool, rng.choice(students), datetime.now(UTC)), args.requests, 1).line("calls/s"), flush=True)
        finally:
            infra.close()
        with serve(url, tmp / "server", 20, timeout=300) as base_url:
            clients: dict[int, httpx.Client] = {}

            def get(path: str) -> None:
                import threading
                client = clients.setdefault(threading.get_ident(), httpx.Client(
                    base_url=base_url, timeout=60, headers={"Authorization": f"Bearer {token}"}))
                r = client.get(path.format(rng.choice(students)))
                r.raise_for_status()

            for name, path in (("GET next-steps (records the suggestions)", "/api/v1/learners/{}/next-steps"),
                               ("GET mastery", "/api/v1/learners/{}/mastery")):
                run_concurrently(name, lambda _i: get(path), 50, args.threads)  # warm up
                print(run_concurrently(name, lambda _i: get(path), args.requests, args.threads).line("req/s"),
                      flush=True)
    print(f"\n{describe_machine()}")


if __name__ == "__main__":
    main()
