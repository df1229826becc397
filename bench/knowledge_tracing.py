"""Knowledge tracing on real answers: learn on the train split one answer at a time, then on the
test split predict each answer before learning it, in log order. Prints the exact AUC and the
cost of one update.

    python -m bench.knowledge_tracing [--data DIR] [--second-split]

DIR holds preprocessed_data_train.csv and preprocessed_data_test.csv (tab-separated, header
`user_id item_id timestamp correct skill_id`; default ../shared/datasets/assistments09).
--second-split also evaluates on a split of our own: train and test merged, every fifth student
(by a hash of the id, not the published split) held out.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

import numpy as np
import polars as pl

from workers.learner.tracing import MODEL_VERSION, KnowledgeTracer

DEFAULT_DATA = Path("../shared/datasets/assistments09")
PUBLISHED = "IRT 0.69, PFA 0.72, DKT 0.75, SAKT 0.75, Best-LR 0.77 (Gervet et al. 2020, batch-trained)"


def exact_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Mann-Whitney: the share of (right, wrong) pairs the scores order correctly, ties counting
    half, from mid-ranks (exact, no binning)."""
    order = np.argsort(scores, kind="mergesort")
    ranked = scores[order]
    ranks = np.empty(len(scores))
    start = 0
    for end in np.append(np.flatnonzero(np.diff(ranked)) + 1, len(ranked)):
        ranks[order[start:end]] = (start + end + 1) / 2  # mid-rank of a run of ties (1-based)
        start = end
    positives = labels.astype(bool)
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def rows(frame: pl.DataFrame) -> list[tuple[int, int, int, int]]:
    return list(frame.select("user_id", "item_id", "skill_id", "correct").iter_rows())


def run(train: pl.DataFrame, test: pl.DataFrame) -> dict[str, float]:
    tracer = KnowledgeTracer()
    started = time.perf_counter()
    for student, item, skill, correct in rows(train):
        tracer.learn_one(student, item, (skill,), bool(correct))
    learn_seconds = time.perf_counter() - started
    labels, scores = [], []
    started = time.perf_counter()
    for student, item, skill, correct in rows(test):
        scores.append(tracer.predict_one(student, item, (skill,)))
        labels.append(correct)
        tracer.learn_one(student, item, (skill,), bool(correct))
    test_seconds = time.perf_counter() - started
    return {"auc": exact_auc(np.array(labels), np.array(scores)), "train": len(train), "test": len(test),
            "learn_us": 1e6 * learn_seconds / len(train), "predict_learn_us": 1e6 * test_seconds / len(test)}


def own_split(train: pl.DataFrame, test: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    merged = pl.concat([train, test])
    held = {u for u in merged["user_id"].unique().to_list()
            if hashlib.sha256(f"kt-split:{u}".encode()).digest()[0] % 5 == 0}
    chosen = pl.col("user_id").is_in(list(held))
    return merged.filter(~chosen), merged.filter(chosen)


def report(title: str, result: dict[str, float]) -> None:
    print(f"{title}: AUC {result['auc']:.4f} on {result['test']:,} test answers after {result['train']:,} train answers;"
          f" learn {result['learn_us']:.1f} µs/answer, predict+learn {result['predict_learn_us']:.1f} µs/answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--second-split", action="store_true")
    args = parser.parse_args()
    train = pl.read_csv(args.data / "preprocessed_data_train.csv", separator="\t")
    test = pl.read_csv(args.data / "preprocessed_data_test.csv", separator="\t")
    print(f"knowledge tracing, model {MODEL_VERSION}, data {args.data}; published: {PUBLISHED}")
    report("published split", run(train, test))
    if args.second_split:
        report("own split (20% of students by hash, train+test merged)", run(*own_split(train, test)))


if __name__ == "__main__":
    main()
