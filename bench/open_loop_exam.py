"""An open-loop exam over HTTP: students arrive on a schedule, whatever the server's speed.

    .venv/bin/python -m bench.open_loop_exam                       # 1,000 students, about 3.5 minutes
    .venv/bin/python -m bench.open_loop_exam --students 100 --mean-gap 2   # a short trial, 50 answers/s
    # flags: --ramp 10  --mean-gap 10  --connections 100  --read-share 0.1  --probe-interval 0.005
    #        --synthetic-read-models 0  --pool-size 20  --seed 1

`skillhub serve` runs in a subprocess (bench/http_server.py) and follows every read model itself.
Each student starts the 20-question quiz of bench.assessment at a moment drawn uniformly in the
first `--ramp` seconds, then answers the next question after exponential gaps of mean
`--mean-gap` seconds (1,000 students, 10 s: about 100 answers per second), and submits after the
last answer. A student's requests are sequential; the schedule is fixed in advance, so a slow
server does not slow the arrivals (open loop): the latency "from its planned time" counts the
time an answer waited behind the student's previous request.

Read-model lag: every answer's response carries its log position; a probe thread in this process
reads the attempts read model's tracking position every `--probe-interval` and records, per
answer, the time from the response to the first sight of a position at or past it (resolution:
the interval plus one query). For `--read-share` of the answers the student also reads the
attempt back with GET /api/v1/attempts/{id}?min_position=N (read-your-writes as a client sees it).

The load generator is one asyncio loop with one httpx.AsyncClient (at most `--connections`
connections); its own CPU use, the server's and the machine's are printed, as is how late the
loop woke students (a late loop means the generator, not the server, was the limit).
The aim of issue 10: answer p99 < 100 ms and lag p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from psycopg_pool import ConnectionPool

from adapters.infrastructure import Infrastructure, open_infrastructure
from bench.assessment import SPIKE_QUESTIONS, answer_for, wait_caught_up
from bench.common import (
    Measurement,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
    percentile,
)
from bench.exam_spike import Exam
from bench.http_server import LAYOUTS
from bench.machine_load import CpuMeter, load_line, server_process, value_line
from bench.synthetic_models import (
    serve_with_models,
    synthetic_read_models,
    wait_followers_active,
)
from commands.pipeline import deps_for
from projections.assessment.attempts import attempts as attempts_projection
from projections.engine import tracking
from projections.engine.engine import Projection
from projections.registry import ALL
from workers.runtime import start_projection_runners
from workers.startup import prepare

AIM_SECONDS = 0.100


def attempts_position(pool: ConnectionPool) -> int:
    """One cheap query where the engine has position_of; the public status() otherwise."""
    position_of: Callable[..., int] | None = getattr(tracking, "position_of", None)
    if position_of is not None:
        return position_of(pool, attempts_projection)
    return tracking.status(pool, [attempts_projection])[0].position


class LagProbe(threading.Thread):
    """Polls the attempts read model's position while answers wait for it; per answer, the time
    from its response to the first poll that found its position applied."""

    def __init__(self, pool: ConnectionPool, interval: float) -> None:
        super().__init__(name="lag-probe", daemon=True)
        self.pool, self.interval = pool, interval
        self.pending: list[tuple[int, float]] = []  # heap of (position, response time)
        self.lags: list[float] = []
        self.lock, self.work, self.stop = threading.Lock(), threading.Event(), threading.Event()
        self.polls = 0

    def expect(self, position: int, answered_at: float) -> None:
        with self.lock:
            heapq.heappush(self.pending, (position, answered_at))
        self.work.set()

    def run(self) -> None:
        while not self.stop.is_set():
            if not self.pending:
                self.work.wait(0.05)
                self.work.clear()
                continue
            applied = attempts_position(self.pool)
            seen = time.perf_counter()
            self.polls += 1
            with self.lock:
                while self.pending and self.pending[0][0] <= applied:
                    self.lags.append(max(0.0, seen - heapq.heappop(self.pending)[1]))
            time.sleep(self.interval)

    def finish(self, timeout: float) -> int:
        """Waits for the answers still pending (up to timeout); returns how many never showed."""
        deadline = time.monotonic() + timeout
        while self.pending and time.monotonic() < deadline:
            time.sleep(0.05)
        self.stop.set()
        self.join(5)
        return len(self.pending)


@dataclass
class Plan:
    """One student's schedule, in seconds from the start of the exam."""

    start_at: float
    answer_at: list[float]


def plans(students: int, questions: int, ramp: float, mean_gap: float, seed: int) -> list[Plan]:
    rng = random.Random(seed)
    out = []
    for _ in range(students):
        t = rng.uniform(0, ramp)
        start, times = t, []
        for _ in range(questions):
            t += rng.expovariate(1 / mean_gap)
            times.append(t)
        out.append(Plan(start, times))
    return out


@dataclass
class Results:
    latency: dict[str, list[float]] = field(default_factory=lambda: {"start": [], "answer": [], "submit": []})
    from_plan: list[float] = field(default_factory=list)
    read_back: list[float] = field(default_factory=list)
    lateness: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


class OpenLoop:
    def __init__(self, client: httpx.AsyncClient, tokens: list[str], quiz_id: Any, probe: LagProbe,
                 read_share: float) -> None:
        self.client, self.tokens, self.quiz_id, self.probe, self.read_share = client, tokens, quiz_id, probe, read_share
        self.results = Results()
        self.t0 = 0.0

    async def wait_until(self, at: float) -> None:
        delay = self.t0 + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
            self.results.lateness.append(time.perf_counter() - (self.t0 + at))

    async def call(self, kind: str, i: int, method: str, path: str, expect: int,
                   **kwargs: Any) -> tuple[dict[str, Any], float]:
        """The response body and when it arrived; the latency is recorded under `kind`."""
        sent = time.perf_counter()
        r = await self.client.request(method, f"/api/v1{path}", headers={"Authorization": f"Bearer {self.tokens[i]}"},
                                      **kwargs)
        done = time.perf_counter()
        if r.status_code != expect:
            raise RuntimeError(f"{method} {path.split('/')[1]}: {r.status_code} {r.text[:150]}")
        if kind:
            self.results.latency[kind].append(done - sent)
        return r.json(), done

    async def student(self, i: int, plan: Plan) -> None:
        rng = random.Random(i)
        try:
            await self.wait_until(plan.start_at)
            data, _ = await self.call("start", i, "POST", f"/quizzes/{self.quiz_id}/attempts", 201)
            attempt_id = data["attempt_id"]
            for question, at in zip(data["questions"], plan.answer_at, strict=True):
                await self.wait_until(at)
                try:
                    body = {"answer": answer_for(question, rng)}
                    path = f"/attempts/{attempt_id}/answers/{question['question_id']}"
                    saved, done = await self.call("answer", i, "PUT", path, 200, json=body)
                    self.results.from_plan.append(done - (self.t0 + at))
                    self.probe.expect(saved["position"], done)
                    if rng.random() < self.read_share:
                        await self.call("", i, "GET", f"/attempts/{attempt_id}", 200,
                                        params={"min_position": saved["position"]})
                        self.results.read_back.append(time.perf_counter() - done)
                except Exception as e:  # noqa: BLE001 - counted; the student goes on to the next question
                    self.results.errors.append(f"{type(e).__name__}: {e}"[:200])
            await self.call("submit", i, "POST", f"/attempts/{attempt_id}/submission", 200)
        except Exception as e:  # noqa: BLE001 - counted and reported
            self.results.errors.append(f"{type(e).__name__}: {e}"[:200])

    async def run(self, schedule: list[Plan]) -> Results:
        self.t0 = time.perf_counter() + 0.5  # every student is waiting before the first is due
        await asyncio.gather(*(self.student(i, p) for i, p in enumerate(schedule)))
        self.results.seconds = time.perf_counter() - self.t0
        return self.results


async def open_loop(base_url: str, tokens: list[str], quiz_id: Any, schedule: list[Plan], probe: LagProbe,
                    args: argparse.Namespace) -> Results:
    limits = httpx.Limits(max_connections=args.connections, max_keepalive_connections=args.connections)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120.0) as client:
        return await OpenLoop(client, tokens, quiz_id, probe, args.read_share).run(schedule)


def report(results: Results, probe: LagProbe, missing: int, students: int) -> None:
    wall = results.seconds
    first = results.errors[0] if results.errors else ""
    lines = [Measurement(f"open loop, {students} students: {kind}", len(lat), wall, lat,
                         len(results.errors) if kind == "answer" else 0, first)
             for kind, lat in results.latency.items()]
    lines += [
        Measurement(f"open loop, {students} students: answer from plan", len(results.from_plan), wall, results.from_plan),
        Measurement(f"open loop, {students} students: read-model lag", len(probe.lags), wall, probe.lags),
        Measurement(f"open loop, {students} students: read back ?min_position", len(results.read_back), wall,
                    results.read_back),
        Measurement(f"open loop, {students} students: loop wake-up lateness", len(results.lateness), wall,
                    results.lateness),
    ]
    for m in lines:
        print(m.line(), flush=True)
    print(f"  lag probe: {probe.polls:,} polls; {missing} answers whose position was never seen applied", flush=True)
    for name, values in (("answer p99", sorted(results.latency["answer"])), ("lag p99", sorted(probe.lags))):
        p99 = percentile(values, 99)
        print(f"  aim {name} < {AIM_SECONDS * 1000:.0f} ms: {'met' if p99 < AIM_SECONDS else 'NOT met'}"
              f" ({p99 * 1000:.1f} ms)", flush=True)


def run(url: str, data_dir: Path, args: argparse.Namespace) -> None:
    infra = open_infrastructure(bench_settings(data_dir, db_pool_size=args.pool_size), url)
    models = ALL + synthetic_read_models(args.synthetic_read_models)
    workers = None
    try:
        prepare(infra)
        workers = start_projection_runners(infra, models)
        exam = Exam(infra, deps_for(infra), args.students)
        quiz_id = exam.new_quiz()
        print(f"  seeded {args.students} students; caught up {wait_caught_up(infra.pool, models):.1f} s later", flush=True)
        workers.shutdown()  # the server's followers must be the active ones
        workers = None
        schedule = plans(args.students, len(SPIKE_QUESTIONS), args.ramp, args.mean_gap, args.seed)
        for split in LAYOUTS[args.layout]:
            if split != LAYOUTS[args.layout][0]:
                quiz_id = exam.new_quiz()  # a fresh quiz: every student starts again
            exam_over_http(infra, models, quiz_id, exam, schedule, url, data_dir / f"server-{split}", args, split)
    finally:
        if workers is not None:
            workers.shutdown()
        infra.close()


def exam_over_http(infra: Infrastructure, models: list[Projection], quiz_id: Any, exam: Exam,
                   schedule: list[Plan], url: str, data_dir: Path, args: argparse.Namespace, split: bool) -> None:
    layout = "API process + worker process" if split else "one process"
    print(f"\n## open loop, {args.students} students, {layout}", flush=True)
    with serve_with_models(url, data_dir, args.pool_size, args.synthetic_read_models, split=split) as base_url:
        waited = wait_followers_active(infra.pool, models)
        print(f"  server: {base_url} (pool size {args.pool_size}, {len(models)} read models);"
              f" its followers active after {waited:.1f} s", flush=True)
        probe = LagProbe(infra.pool, args.probe_interval)
        probe.start()
        meter = CpuMeter(server_process(), server_process("worker") if split else None).start()
        results = asyncio.run(open_loop(base_url, exam.tokens, quiz_id, schedule, probe, args))
        cpu = meter.lines(f"open loop{', split' if split else ''}, {args.students} students")
        missing = probe.finish(30.0)
        report(results, probe, missing, args.students)
        for line in cpu:
            print(line, flush=True)
        print(value_line(f"open loop{', split' if split else ''}, {args.students} students: answers offered",
                         len(results.from_plan) / results.seconds, "answers/s over the whole run"), flush=True)
        print(f"  read models caught up {wait_caught_up(infra.pool, models):.2f} s after the last submission",
              flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", type=int, default=1000)
    p.add_argument("--ramp", type=float, default=10.0, help="seconds over which the students start")
    p.add_argument("--mean-gap", type=float, default=10.0, help="mean seconds between a student's answers")
    p.add_argument("--connections", type=int, default=100, help="the client's connection pool")
    p.add_argument("--read-share", type=float, default=0.1, help="share of answers read back with min_position")
    p.add_argument("--probe-interval", type=float, default=0.005, help="seconds between lag probe polls")
    p.add_argument("--synthetic-read-models", type=int, default=0, help="extra read models in the server")
    p.add_argument("--pool-size", type=int, default=20, help="SKILLHUB_DB_POOL_SIZE of the server")
    p.add_argument("--seed", type=int, default=1, help="of the schedule")
    p.add_argument("--layout", choices=sorted(LAYOUTS), default="one",
                   help="one process (skillhub serve), split (API + skillhub worker all), or both")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# open-loop exam benchmark\n{describe_machine()}\n{load_line('start')}")
    print(f"database: {database}; {args.students} students start within"
          f" {args.ramp:g} s, {len(SPIKE_QUESTIONS)} answers each every {args.mean_gap:g} s on average"
          f" (about {args.students / args.mean_gap:.0f} answers/s once all have started);"
          f" {args.connections} client connections", flush=True)
    with fresh_database(server) as url:
        run(url, tmp, args)
    print(f"\n{load_line('end')}")


if __name__ == "__main__":
    main()
