"""A slice of the OULAD history loaded into a fresh database, its read models caught up."""

from __future__ import annotations

from pathlib import Path

import pytest

from projections.engine.engine import apply_batch
from workers.oulad.dataset import DEFAULT_FOLDER, Slice

FOLDER = Path(__file__).resolve().parents[3] / DEFAULT_FOLDER
# Two presentations of one module, 120 learners each: enough for every report, fast to load.
SLICE = Slice(("AAA-2013J", "AAA-2014J"), 120)


def need_dataset() -> None:
    if not (FOLDER / "studentAssessment.csv").exists():
        pytest.skip(f"the OULAD dataset is not at {FOLDER} (see ../shared/datasets/README.md)")


def catch_up(infra, projection) -> None:
    while (batch := apply_batch(infra.pool, infra.store, projection, 2000))[1] < batch[2]:
        pass
