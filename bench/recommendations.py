"""Course recommendations: hit rate at 10 on a time-ordered split of real student-item data.

Data: ../shared/datasets/assistments09 (`--data DIR`: any folder with the same two files), read
as students taking "courses" = skills, in the order they answered. Protocol: every train
student's sequence is learned; each test student's first half is learned, then each next new
skill of theirs is predicted (the model ranks every skill they have not taken) and then learned,
one event at a time in their order. A hit is the true next skill in the top 10.

Models: popularity (most-taken first: the baseline), river's reco.BiasedMF (learned on each
taken skill as 1 and one sampled untaken skill as 0), and SkillHub's covisit-v1
(projections/recommendations/ranking.py, the same code the endpoint runs).

    .venv/bin/python -m bench.recommendations [--data DIR] [--limit-students N]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from river import optim, reco

from projections.recommendations.ranking import engagement_score, pair_weights, rank

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / "assistments09"
K = 10


def sequences(path: Path) -> Iterator[tuple[str, list[tuple[str, bool]]]]:
    """Each student's distinct skills in first-answer order, with whether they passed it
    (at least half their answers on it right)."""
    by_student: dict[str, dict[str, list[int]]] = defaultdict(dict)
    with path.open() as f:
        for row in csv.DictReader(f, delimiter="\t"):
            by_student[row["user_id"]].setdefault(row["skill_id"], []).append(int(row["correct"]))
    for student, skills in by_student.items():
        yield student, [(skill, sum(c) * 2 >= len(c)) for skill, c in skills.items()]


class Covisit:
    def __init__(self) -> None:
        self.follow_on: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.out: dict[str, float] = defaultdict(float)
        self.engagement: dict[str, float] = defaultdict(float)
        self.history: dict[str, list[str]] = defaultdict(list)

    def learn(self, student: str, skill: str, passed: bool) -> None:
        for earlier, weight in pair_weights(self.history[student]):
            self.follow_on[earlier][skill] += weight
            self.out[earlier] += weight
        self.history[student].append(skill)
        self.engagement[skill] += engagement_score(1, 0, int(passed))

    def top(self, student: str, candidates: list[str]) -> list[str]:
        found = rank(self.history[student], candidates, self.follow_on, self.out, self.engagement, {}, set(), K)
        return [s.course for s in found]


class Popularity(Covisit):
    def top(self, student: str, candidates: list[str]) -> list[str]:
        return sorted(candidates, key=lambda s: (-self.engagement[s], s))[:K]


class RiverMF:
    def __init__(self, items: list[str]) -> None:
        self.model = reco.BiasedMF(n_factors=10, bias_optimizer=optim.SGD(0.025),
                                   latent_optimizer=optim.SGD(0.05), l2_latent=0.001, seed=7)
        self.items, self.random = items, random.Random(7)
        self.history: dict[str, set[str]] = defaultdict(set)

    def learn(self, student: str, skill: str, passed: bool) -> None:
        self.history[student].add(skill)
        self.model.learn_one(student, skill, 1.0)
        negative = self.random.choice(self.items)
        if negative not in self.history[student]:
            self.model.learn_one(student, negative, 0.0)

    def top(self, student: str, candidates: list[str]) -> list[str]:
        return sorted(candidates, key=lambda s: -self.model.predict_one(student, s))[:K]


def evaluate(make: Callable[[], object], train: list, test: list, items: list[str]) -> tuple[float, int, float]:
    model = make()
    for student, seq in train:
        for skill, passed in seq:
            model.learn(student, skill, passed)
    hits = trials = 0
    started = time.perf_counter()
    for student, seq in test:
        half = len(seq) // 2
        for skill, passed in seq[:half]:
            model.learn(student, skill, passed)
        for skill, passed in seq[half:]:
            taken = set(model.history[student])
            hits += skill in model.top(student, [i for i in items if i not in taken])
            trials += 1
            model.learn(student, skill, passed)
    return hits / max(1, trials), trials, (time.perf_counter() - started) / max(1, trials) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit-students", type=int, default=0, help="test on the first N test students only")
    args = parser.parse_args()
    train = list(sequences(args.data / "preprocessed_data_train.csv"))
    test = [s for s in sequences(args.data / "preprocessed_data_test.csv") if len(s[1]) >= 2]
    if args.limit_students:
        test = test[:args.limit_students]
    items = sorted({skill for _, seq in train + test for skill, _ in seq})
    print(f"data: {args.data.resolve()}; {len(train)} train students, {len(test)} test students, {len(items)} skills")
    for name, make in (("popularity (baseline)", Popularity), ("river reco.BiasedMF", lambda: RiverMF(items)),
                       ("covisit-v1 (SkillHub)", Covisit)):
        hit_rate, trials, micros = evaluate(make, train, test, items)
        print(f"{name:24s} hit rate@{K} {hit_rate:.3f} over {trials} predictions; {micros:.0f} us per predict+learn")


if __name__ == "__main__":
    main()
