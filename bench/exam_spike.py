"""The start-of-exam spike of bench/assessment.py at class scale, with the real read models and with
27 synthetic ones beside them (13 + 27 = 40 at commit 48d4eb4).

    .venv/bin/python -m bench.exam_spike [--students 50 200] [--synthetic-read-models 27]
                                         [--skip-in-process] [--skip-http] [--pool-size 20]

For each number of students and each set of read models (the real ones of projections.registry.ALL,
then those plus `--synthetic-read-models` synthetic ones from bench/synthetic_models.py), every
student starts the same 20-question quiz at once, saves an answer to each question and submits
(bench.assessment.spike): answers per second and p50/p99 per command kind.

- in-process: commands.pipeline.execute from one thread per student, the read models followed
  in this process (start_projection_runners(infra, ALL + synthetic)).
- over HTTP: one client per student against `skillhub serve` in a subprocess, which follows the
  same read models itself; this process's followers are stopped first, so the server's are the
  active ones (in bench.assessment the benchmark process keeps them, and the server's wait).

Each spike gets a fresh quiz; the followers have caught up before it starts, and the time they
take to catch up after the last submission is printed. A fresh database on the embedded server
(or BENCH_DATABASE_URL / DATABASE_URL), dropped at the end.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from adapters.infrastructure import Infrastructure, open_infrastructure
from adapters.security.tokens import TokenIssuer
from bench import assessment_seed as seed
from bench.assessment import (
    SPIKE_QUESTIONS,
    http_spike,
    in_process_spike,
    wait_caught_up,
)
from bench.common import (
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
)
from bench.http_server import LAYOUTS
from bench.machine_load import CpuMeter, load_line, server_process
from bench.synthetic_models import (
    serve_with_models,
    synthetic_read_models,
    wait_followers_active,
)
from commands.pipeline import Actor, Deps, deps_for
from domain.identity import Role
from projections.engine.engine import Projection
from projections.registry import ALL
from workers.runtime import start_projection_runners
from workers.startup import prepare


class Exam:
    """The seeded class: a teacher, the students and their access tokens."""

    def __init__(self, infra: Infrastructure, deps: Deps, students: int) -> None:
        teacher_ids = seed.seed_people(infra, 1, Role.TEACHER)[0]
        self.teacher = Actor(user_id=teacher_ids[0], roles=frozenset({"student", "teacher"}))
        self.people = seed.seed_people(infra, students)
        self.class_id = seed.open_class(infra, self.teacher.user_id, [p[0] for p in self.people])
        issuer = TokenIssuer(infra.settings.resolved_secret_key(), 3600)
        self.tokens = [seed.access_token(issuer, p, ["student"]) for p in self.people]
        self.deps = deps

    def new_quiz(self) -> Any:
        return seed.write_quiz(self.deps, self.teacher, self.class_id, SPIKE_QUESTIONS)[0]


def in_process(infra: Infrastructure, exam: Exam, students: int, models: list[Projection]) -> None:
    quiz_id = exam.new_quiz()
    print(f"  followers caught up {wait_caught_up(infra.pool, models):.2f} s before the spike", flush=True)
    meter = CpuMeter().start()
    for m in in_process_spike(exam.deps, exam.people[:students], quiz_id):
        print(m.line(), flush=True)
    print(f"  read models caught up {wait_caught_up(infra.pool, models):.2f} s after the last submission", flush=True)
    for line in meter.lines(f"in-process, {students} students", own="benchmark process (system under test)"):
        print(line, flush=True)


def over_http(infra: Infrastructure, exam: Exam, quiz_id: Any, students: int, models: list[Projection], url: str,
              data_dir: Path, pool_size: int, split: bool) -> None:
    """Needs this process's followers stopped: the server's must be the active ones."""
    with serve_with_models(url, data_dir, pool_size, len(models) - len(ALL), split=split) as base_url:
        waited = wait_followers_active(infra.pool, models)
        layout = "API process + worker process" if split else "one process"
        print(f"  server ({layout}): {base_url} (pool size {pool_size}); its followers active after {waited:.1f} s",
              flush=True)
        meter = CpuMeter(server_process(), server_process("worker") if split else None).start()
        for m in http_spike(base_url, exam.tokens[:students], quiz_id):
            print(m.line(), flush=True)
        print(f"  read models caught up {wait_caught_up(infra.pool, models):.2f} s after the last submission", flush=True)
        for line in meter.lines(f"HTTP{', split' if split else ''}, {students} clients"):
            print(line, flush=True)


def run(url: str, data_dir: Path, args: argparse.Namespace) -> None:
    infra = open_infrastructure(bench_settings(data_dir, db_pool_size=args.pool_size), url)
    workers: Any = None  # what start_projection_runners returns (its class moved module once)
    try:
        prepare(infra)
        workers = start_projection_runners(infra)
        exam = Exam(infra, deps_for(infra), max(args.students))
        synthetic = synthetic_read_models(args.synthetic_read_models)
        for students in args.students:
            for extra in sorted({0, len(synthetic)}):
                models = ALL + synthetic[:extra]
                # The header names no count: it keys the numbers in bench.compare_trees, and trees differ.
                print(f"\n## {students} students, the real read models" + (f" + {extra} synthetic" if extra else ""),
                      flush=True)
                print(f"  {len(models)} read models", flush=True)
                workers.shutdown()
                workers = start_projection_runners(infra, models)
                if not args.skip_in_process:
                    in_process(infra, exam, students, models)
                for split in ([] if args.skip_http else LAYOUTS[args.layout]):
                    quiz_id = exam.new_quiz()  # written while this process's followers run
                    wait_caught_up(infra.pool, models)
                    workers.shutdown()
                    try:
                        over_http(infra, exam, quiz_id, students, models, url,
                                  data_dir / f"server-{students}-{extra}-{split}", args.pool_size, split)
                    finally:
                        workers = start_projection_runners(infra, models)
    finally:
        if workers is not None:
            workers.shutdown()
        infra.close()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", type=int, nargs="+", default=[50, 200], help="class sizes, one spike each")
    p.add_argument("--synthetic-read-models", type=int, default=27,
                   help="extra read models for the second spike of each size (0: only the real ones)")
    p.add_argument("--pool-size", type=int, default=20, help="SKILLHUB_DB_POOL_SIZE (in-process and server)")
    p.add_argument("--skip-in-process", action="store_true")
    p.add_argument("--skip-http", action="store_true")
    p.add_argument("--layout", choices=sorted(LAYOUTS), default="one",
                   help="over HTTP: one process (skillhub serve), split (API + skillhub worker all), or both")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# exam spike benchmark\n{describe_machine()}\n{load_line('start')}")
    print(f"database: {database}; students {args.students},"
          f" {len(SPIKE_QUESTIONS)} questions, {len(ALL)} and {len(ALL) + args.synthetic_read_models} read models",
          flush=True)
    with fresh_database(server) as url:
        run(url, tmp, args)
    print(f"\n{load_line('end')}")


if __name__ == "__main__":
    main()
