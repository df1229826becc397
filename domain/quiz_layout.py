"""Which questions an attempt shows, in which order, with options in which order.

Random draws and shuffles come from one seeded generator per attempt. The attempt-started
event records the seed *and* the resulting layout, so replaying it never depends on this
code or on Python's random module staying the same.
"""

from __future__ import annotations

import random
from typing import Any

from domain.errors import InvalidInput

# Parts of a question whose order can be shuffled; ordering items are always shuffled,
# or the question would show its own answer.
_SHUFFLED = {"single_choice": "options", "multiple_choice": "options", "matching": "choices"}


def partition_pools(fixed: list[str], draws: list[dict[str, Any]], candidates: list[list[str]]) -> list[list[str]]:
    """Each draw's pool: its candidates minus the fixed questions and minus every earlier
    draw's pool, so no attempt can show a question twice. Fails if a pool is too small."""
    taken = set(fixed)
    pools = []
    for index, (draw, found) in enumerate(zip(draws, candidates, strict=True)):
        pool = [q for q in found if q not in taken]
        if len(pool) < draw["count"]:
            raise InvalidInput(
                f"draw {index + 1} wants {draw['count']} questions with skill '{draw['skill']}' but the bank"
                f" has {len(pool)} more",
                fields={f"draws.{index}.count": f"at most {len(pool)}"},
            )
        taken.update(pool)
        pools.append(pool)
    return pools


def _order(question: dict[str, Any], rng: random.Random, shuffle: bool) -> list[str] | None:
    if question["type"] == "ordering":
        ids = [item["id"] for item in question["items"]]
        shuffled = rng.sample(ids, len(ids))
        return shuffled if shuffled != ids else shuffled[1:] + shuffled[:1]
    part = _SHUFFLED.get(question["type"])
    if part is None or not shuffle:
        return None
    return rng.sample([e["id"] for e in question[part]], len(question[part]))


def layout(snapshot: dict[str, Any], seed: int) -> list[dict[str, Any]]:
    """[{question_id, points, order}] for one attempt."""
    rng = random.Random(seed)
    settings = snapshot["settings"]
    chosen = [{"question_id": i["question_id"], "points": i["points"]} for i in snapshot["items"]]
    for draw in snapshot["draws"]:
        chosen += [{"question_id": q, "points": draw["points"]} for q in rng.sample(draw["pool"], draw["count"])]
    if settings["shuffle_questions"]:
        rng.shuffle(chosen)
    for entry in chosen:
        entry["order"] = _order(snapshot["questions"][entry["question_id"]], rng, settings["shuffle_options"])
    return chosen
