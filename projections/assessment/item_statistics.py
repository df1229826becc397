"""Classical test statistics of a quiz, as pure functions (checked by hand in
tests/unit/test_item_statistics.py).

An observation is one counted attempt: {question_id: item score in points} for the questions
it showed and that are graded (essays still waiting are left out). Its total is the sum. Its
shares are the same items' fractions, {question_id: share of the item's points earned}.

- difficulty (facility): the mean share earned, 0..1 (1 = everyone right), so an item whose
  points changed between versions or draws counts every attempt alike;
- discrimination: point-biserial correlation of the item score with the rest of the test
  (the total without this item), so an item does not correlate with itself;
- Cronbach's alpha: k/(k-1) * (1 - sum of item variances / variance of totals), over the
  items every observation has (with random draws, the fixed part of the quiz);
- the score distribution: ten bins of 10 percent, with mean, median and standard deviation.
Variances are sample variances (n - 1). A statistic that needs spread where there is none is None.
"""

from __future__ import annotations

import math
from typing import Any


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def variance(values: list[float]) -> float | None:
    if len(values) < 2:
        return None
    m = sum(values) / len(values)
    return sum((v - m) ** 2 for v in values) / (len(values) - 1)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_statistics(observations: list[dict[str, float]], shares: list[dict[str, float]]) -> dict[str, dict[str, Any]]:
    totals = [sum(o.values()) for o in observations]
    found: dict[str, dict[str, Any]] = {}
    for item in sorted({i for o in observations for i in o}):
        scores, rests, earned = [], [], []
        for o, share, total in zip(observations, shares, totals, strict=True):
            if item in o:
                scores.append(o[item])
                rests.append(total - o[item])
                earned.append(share[item])
        found[item] = {"n": len(scores), "difficulty": mean(earned), "discrimination": pearson(scores, rests)}
    return found


def cronbach_alpha(observations: list[dict[str, float]]) -> tuple[float | None, list[str]]:
    """Alpha over the items present in every observation, and which items those are."""
    if not observations:
        return None, []
    common = sorted(set.intersection(*(set(o) for o in observations)))
    if len(common) < 2:
        return None, common
    item_variances = [variance([o[i] for o in observations]) for i in common]
    total_variance = variance([sum(o[i] for i in common) for o in observations])
    if total_variance is None or total_variance <= 1e-12 or None in item_variances:
        return None, common
    k = len(common)
    return k / (k - 1) * (1 - sum(item_variances) / total_variance), common


def distribution(percents: list[float], bins: int = 10) -> dict[str, Any]:
    """Counts per bin [0,10), [10,20), ... [90,100]; 100 % falls in the last bin."""
    counts = [0] * bins
    for p in percents:
        counts[min(int(p * bins // 100), bins - 1)] += 1
    ordered = sorted(percents)
    n = len(ordered)
    median = None if not n else (ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2)
    spread = variance(percents)
    return {
        "count": n, "mean": mean(percents), "median": median,
        "stdev": math.sqrt(spread) if spread is not None else None,
        "min": ordered[0] if n else None, "max": ordered[-1] if n else None,
        "bins": [{"from": i * 100 / bins, "to": (i + 1) * 100 / bins, "count": c} for i, c in enumerate(counts)],
    }
