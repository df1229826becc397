"""The recommendation endpoint's work at scale: what GET /me/recommendations runs after
authentication (projections/recommendations/queries.recommend, then the served log's insert),
timed for random students of a read model holding 100,000 students.

The read model is seeded directly (COPY) with what its handlers would have built from the log:
N courses in 50 categories, popularity skewed (Zipf), each student with 1-8 courses taken in
order, the follow-on weights of those sequences (ranking.pair_weights). HTTP and the JWT check
are not in the numbers (benchmarks of other endpoints measure those).

    .venv/bin/python -m bench.recommendation_endpoint [--students 100000] [--courses 2000] [--requests 2000]
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
import uuid
from collections import defaultdict

from adapters.infrastructure import open_infrastructure
from bench.common import Measurement, bench_server, bench_settings, describe_machine, fresh_database
from projections.engine.engine import ensure_schema
from projections.recommendations import queries, served
from projections.recommendations.ranking import pair_weights
from projections.recommendations.signals import recommendations


def seed(pool, students: int, courses: int, rng: random.Random) -> list[uuid.UUID]:
    course_ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(courses)]
    categories = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(50)]
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(courses)))
    student_ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(students)]
    enrolled, completed = defaultdict(int), defaultdict(int)
    follow_on, out = defaultdict(float), defaultdict(float)
    with pool.connection() as conn, conn.cursor() as cur:
        with cur.copy("COPY view_recommendations.taken (student_id, course_id, seq, completed) FROM STDIN") as copy:
            for student in student_ids:
                taken = list(dict.fromkeys(rng.choices(course_ids, cum_weights=cumulative, k=rng.randint(1, 8))))
                for seq, course in enumerate(taken):
                    for earlier, weight in pair_weights(taken[:seq]):
                        follow_on[(earlier, course)] += weight
                        out[earlier] += weight
                    done = rng.random() < 0.4
                    enrolled[course] += 1
                    completed[course] += done
                    copy.write_row((student, course, seq, done))
        with cur.copy("COPY view_recommendations.follow_on FROM STDIN") as copy:
            for (a, b), weight in follow_on.items():
                copy.write_row((a, b, weight))
        with cur.copy("COPY view_recommendations.courses (course_id, status, draft, title, category_ids, prerequisites,"
                      " enrolled, completed, out_weight) FROM STDIN") as copy:
            for n, course in enumerate(course_ids):
                prereqs = [course_ids[n - 1]] if n % 10 == 9 else []
                copy.write_row((course, "published", "{}", f"Course {n}", [rng.choice(categories)], prereqs,
                                enrolled[course], completed[course], out[course]))
        cur.execute("ANALYZE view_recommendations.taken; ANALYZE view_recommendations.follow_on;"
                    " ANALYZE view_recommendations.courses")
    print(f"seeded {students:,} students, {courses:,} courses, {len(follow_on):,} follow-on pairs", flush=True)
    return student_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--courses", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=2_000)
    args = parser.parse_args()
    tmp, server, described = bench_server("skillhub-bench-reco-")
    print(describe_machine())
    print(described, flush=True)
    with fresh_database(server) as url:
        infra = open_infrastructure(bench_settings(tmp / "data"), url)
        try:
            ensure_schema(infra.pool, recommendations)
            served.create_tables(infra.pool)
            rng = random.Random(7)
            student_ids = seed(infra.pool, args.students, args.courses, rng)
            result = Measurement("recommend + record (10 items)", 0, 0.0)
            started = time.perf_counter()
            for student in rng.sample(student_ids, args.requests):
                t = time.perf_counter()
                answer = queries.recommend(infra.pool, student, 10)
                served.record(infra.pool, student, answer)
                result.latencies.append(time.perf_counter() - t)
                result.count += 1
            result.seconds = time.perf_counter() - started
            print(result.line("req/s"))
        finally:
            infra.close()


if __name__ == "__main__":
    main()
