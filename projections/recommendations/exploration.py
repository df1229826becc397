"""Exploration: one slot of a list goes to a course few students have taken yet, so new courses
get seen. River's Thompson sampling picks it among those courses, each arm's Beta learned from
its students so far (completed or passed a quiz: success); the seed is the student and the
log position, so the same request at the same position shows the same course (traceable)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from river import bandit, proba

EXPLORE_BELOW = 20  # a course with fewer students than this is still being explored


def explore_pick(student_id: UUID, position: int, arms: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """arms: candidate courses with `course_id`, `enrolled` and `succeeded` counts."""
    if not arms:
        return None
    seed = zlib.crc32(f"{student_id}:{position}".encode())
    policy = bandit.ThompsonSampling(reward_obj=proba.Beta(), seed=seed)
    by_id = {str(arm["course_id"]): arm for arm in arms}
    for arm_id, arm in by_id.items():
        successes = min(arm["succeeded"], arm["enrolled"])
        for won in [True] * successes + [False] * (arm["enrolled"] - successes):
            policy.update(arm_id, won)
    return by_id[policy.pull(sorted(by_id))]
