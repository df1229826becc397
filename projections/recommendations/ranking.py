"""The course recommender's scoring, shared by the read model's query and bench/recommendations.py.

Model "covisit-v1": learned one event at a time from what students take, in order.
- Follow-on pairs: when a student starts a course, every earlier course of theirs (the last
  `PAIR_WINDOW`) gains weight toward it, 1 for the one just before, 1/2 for the one before that...
  Scoring sums, over the student's own courses (the most recent counting most), the share of
  each one's follow-on weight that went to the candidate: "students who took X went on to Y".
- Category affinity: candidates in categories the student took courses in or follows.
- Engagement: enrolments, completions and passed quizzes (log-scaled), the popularity fallback
  for people with no history, and the tie-breaker everywhere.
River's matrix factorisation (reco.BiasedMF) was measured on the same split and lost to this
(bench/recommendations.py prints both); exploration uses river's bandit (exploration.py).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

MODEL_VERSION = "covisit-v1"
PAIR_WINDOW = 5  # how many earlier courses a new one is paired with
RECENCY = 0.5  # the k-th most recent course of a student counts RECENCY**k
CATEGORY_WEIGHT, ENGAGEMENT_WEIGHT = 0.1, 0.01


def pair_weights(earlier: Sequence[Hashable]) -> list[tuple[Hashable, float]]:
    """The follow-on weight each of a student's earlier courses (oldest first) gives a new one."""
    recent = list(earlier)[-PAIR_WINDOW:]
    return [(course, 1.0 / distance) for distance, course in enumerate(reversed(recent), start=1)]


def engagement_score(enrolled: int, completed: int, passed: int) -> float:
    return enrolled + 2.0 * completed + passed


@dataclass(frozen=True)
class Scored:
    course: Hashable
    score: float
    reason: str  # "follow_on", "category" or "popular"
    because_of: Hashable | None  # the course (follow_on) or category that earned it


def rank(history: Sequence[Hashable], candidates: Sequence[Hashable],
         follow_on: Mapping[Hashable, Mapping[Hashable, float]], out_weight: Mapping[Hashable, float],
         engagement: Mapping[Hashable, float], categories: Mapping[Hashable, Sequence[Hashable]],
         liked_categories: set[Hashable], limit: int) -> list[Scored]:
    """The best `limit` candidates for a student whose courses are `history` (oldest first)."""
    top_engagement = math.log1p(max(engagement.values(), default=0.0)) or 1.0
    recent = list(reversed(history))[:PAIR_WINDOW * 2]
    scored = []
    for course in candidates:
        best_from, best_share, co = None, 0.0, 0.0
        for k, taken in enumerate(recent):
            weight = follow_on.get(taken, {}).get(course, 0.0)
            if weight:
                share = RECENCY ** k * weight / out_weight[taken]
                co += share
                if share > best_share:
                    best_from, best_share = taken, share
        shared = [c for c in categories.get(course, ()) if c in liked_categories]
        category = len(shared) / max(1, len(categories.get(course, ())))
        popular = math.log1p(engagement.get(course, 0.0)) / top_engagement
        score = co + CATEGORY_WEIGHT * category + ENGAGEMENT_WEIGHT * popular
        if co > 0:
            scored.append(Scored(course, score, "follow_on", best_from))
        elif shared:
            scored.append(Scored(course, score, "category", shared[0]))
        else:
            scored.append(Scored(course, score, "popular", None))
    scored.sort(key=lambda s: (-s.score, str(s.course)))
    return scored[:limit]
