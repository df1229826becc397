"""The quiz statistics against a small example worked out by hand.

Five students, three one-point items:

    student  item1 item2 item3  total
    A          1     1     1      3
    B          1     1     0      2
    C          1     0     1      2
    D          0     1     0      1
    E          0     0     0      0

item1: facility 3/5 = 0.6. Rest scores (total - item) 2,1,1,1,0 (mean 1). Deviations of the
item from 0.6: .4,.4,.4,-.6,-.6; of the rest: 1,0,0,0,-1. Sxy = .4 + .6 = 1, Sxx = 1.2,
Syy = 2, r = 1 / sqrt(2.4) = 0.645497.
item2: rest 2,1,2,0,0 (mean 1); Sxy = .4 + 0 - .6 - .4 + .6 = 0, so r = 0.
item3: facility 0.4; rest 2,2,1,1,0 (mean 1.2); Sxy = .48 - .32 - .12 + .08 + .48 = .6,
Sxx = 1.2, Syy = 2.8, r = .6 / sqrt(3.36) = 0.327327.
Cronbach's alpha: item variances .3 each (1.2 / 4), total variance 5.2 / 4 = 1.3;
alpha = 3/2 * (1 - .9 / 1.3) = 0.461538.
"""

from __future__ import annotations

import pytest

from projections.assessment.item_statistics import (
    cronbach_alpha,
    distribution,
    item_statistics,
    pearson,
)

ROWS = {"A": (1, 1, 1), "B": (1, 1, 0), "C": (1, 0, 1), "D": (0, 1, 0), "E": (0, 0, 0)}
OBSERVATIONS = [{"item1": a, "item2": b, "item3": c} for a, b, c in ROWS.values()]
SHARES = OBSERVATIONS  # one point each: the share earned is the score


def test_difficulty_and_point_biserial_discrimination_match_the_hand_computation():
    stats = item_statistics(OBSERVATIONS, SHARES)
    assert stats["item1"]["difficulty"] == pytest.approx(0.6)
    assert stats["item1"]["discrimination"] == pytest.approx(0.645497, abs=1e-6)
    assert stats["item2"]["discrimination"] == pytest.approx(0.0, abs=1e-12)
    assert stats["item3"]["difficulty"] == pytest.approx(0.4)
    assert stats["item3"]["discrimination"] == pytest.approx(0.327327, abs=1e-6)
    assert stats["item1"]["n"] == 5


def test_cronbach_alpha_matches_the_hand_computation():
    alpha, items = cronbach_alpha(OBSERVATIONS)
    assert alpha == pytest.approx(0.461538, abs=1e-6)
    assert items == ["item1", "item2", "item3"]


def test_alpha_uses_only_items_every_attempt_showed_and_needs_two():
    drawn = [{**o, "extra": 1.0} if i % 2 else dict(o) for i, o in enumerate(OBSERVATIONS)]
    assert cronbach_alpha(drawn)[0] == pytest.approx(0.461538, abs=1e-6)
    assert cronbach_alpha([{"item1": 1.0}, {"item1": 0.0}]) == (None, ["item1"])


def test_partial_credit_difficulty_is_the_mean_share_of_the_points():
    stats = item_statistics([{"q": 2.0}, {"q": 1.0}, {"q": 0.0}], [{"q": 1.0}, {"q": 0.5}, {"q": 0.0}])
    assert stats["q"]["difficulty"] == pytest.approx(0.5)


def test_difficulty_counts_every_attempt_alike_when_the_points_changed():
    """Version 1 gave the item 1 point (earned in full), version 2 gave it 4 (half earned): the
    facility is (1 + 0.5) / 2, not 3 points of 2 x 4."""
    stats = item_statistics([{"q": 1.0, "r": 1.0}, {"q": 2.0, "r": 0.0}], [{"q": 1.0, "r": 1.0}, {"q": 0.5, "r": 0.0}])
    assert stats["q"]["difficulty"] == pytest.approx(0.75)


def test_no_spread_gives_no_correlation():
    assert pearson([1, 1, 1], [0, 1, 2]) is None
    assert item_statistics([{"q": 1.0}, {"q": 1.0}], [{"q": 1.0}, {"q": 1.0}])["q"]["discrimination"] is None


def test_score_distribution():
    found = distribution([100.0, 200 / 3, 200 / 3, 100 / 3, 0.0])
    assert [b["count"] for b in found["bins"]] == [1, 0, 0, 1, 0, 0, 2, 0, 0, 1]
    assert found["mean"] == pytest.approx(160 / 3)
    assert found["median"] == pytest.approx(200 / 3)
    assert (found["min"], found["max"], found["count"]) == (0.0, 100.0, 5)
    assert distribution([])["mean"] is None
