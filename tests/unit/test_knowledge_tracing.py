"""The exact AUC of the benchmark, checked against counting pairs by hand, and the tracer
learning one answer at a time."""

from __future__ import annotations

import itertools
import pickle
import random

import numpy as np

from bench.knowledge_tracing import exact_auc
from workers.learner.tracing import KnowledgeTracer


def auc_by_pairs(labels: list[int], scores: list[float]) -> float:
    pairs = [(p, n) for p, n in itertools.product(range(len(labels)), repeat=2) if labels[p] and not labels[n]]
    return sum(1.0 if scores[p] > scores[n] else 0.5 if scores[p] == scores[n] else 0.0 for p, n in pairs) / len(pairs)


def test_exact_auc_matches_counting_pairs_with_ties():
    assert exact_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])) == 0.75
    rng = random.Random(3)
    labels = [rng.randint(0, 1) for _ in range(300)]
    scores = [round(rng.random(), 1) for _ in range(300)]  # many ties
    assert abs(exact_auc(np.array(labels), np.array(scores)) - auc_by_pairs(labels, scores)) < 1e-12


def test_tracer_learns_who_knows_a_skill_and_pickles_whole():
    tracer = KnowledgeTracer()
    for i in range(40):
        tracer.learn_one("strong", f"item-{i % 5}", ("sums",), True)
        tracer.learn_one("weak", f"item-{i % 5}", ("sums",), i % 4 == 0)
    assert tracer.predict_one("strong", None, ("sums",)) > 0.8 > tracer.predict_one("weak", None, ("sums",))
    assert tracer.skill_counts("weak", "sums").right == 10
    copy = pickle.loads(pickle.dumps(tracer))
    assert copy.predict_one("weak", "item-1", ("sums",)) == tracer.predict_one("weak", "item-1", ("sums",))
