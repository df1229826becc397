"""Choosing a student's next steps from their mastery (pure functions, tests/unit/test_learner_planning.py).

Order: "continue where you left off" (an attempt they started and did not submit) always first;
then reviews of mastered skills whose recall has decayed below one half (half-life style: each
net right answer on the skill doubles the half-life, from one day up to 128); then the weakest
skills the student is ready for (every prerequisite mastered): a lesson first when the skill has
lessons and the student has little evidence on it, else practice at their level.
Every suggestion carries its reason and the estimate (with model version and position) behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MASTERED, MIN_ANSWERS = 0.8, 3  # a skill counts as mastered at this chance after this many answers
WEAKEST = 3  # how many weak skills get a practice or lesson suggestion


@dataclass
class SkillMap:
    """Prerequisites and lessons per skill (empty: every skill is ready, no lessons known)."""

    prerequisites: dict[str, list[str]] = field(default_factory=dict)
    lessons: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Step:
    kind: str  # continue, review, lesson, practice
    skill: str | None
    reason: str
    target: dict[str, Any]
    evidence: dict[str, Any]


def mastered(row: dict[str, Any]) -> bool:
    return row["probability"] >= MASTERED and row["answers"] >= MIN_ANSWERS


def half_life_days(row: dict[str, Any]) -> float:
    net = row["right_answers"] - (row["answers"] - row["right_answers"])
    return float(2 ** min(7, max(0, net)))


def recall(row: dict[str, Any], now: datetime) -> float:
    days = max(0.0, (now - row["last_practised"]).total_seconds() / 86400)
    return 2 ** (-days / half_life_days(row))


def evidence_of(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("probability", "low", "high", "answers", "right_answers", "model_version", "position")}


def plan(rows: list[dict[str, Any]], open_attempts: list[dict[str, Any]], skills: SkillMap,
         now: datetime) -> list[Step]:
    steps = [Step("continue", None, f"you started this quiz on {a['started_at']:%Y-%m-%d %H:%M} UTC and have not"
                  " submitted it yet", {"attempt_id": str(a["attempt_id"]), "quiz_id": str(a["quiz_id"])},
                  {"position": a["position"]}) for a in open_attempts[:1]]
    by_skill = {r["skill"]: r for r in rows}
    for row in sorted((r for r in rows if mastered(r)), key=lambda r: recall(r, now)):
        if (kept := recall(row, now)) < 0.5:
            steps.append(Step("review", row["skill"], f"mastered, last practised {row['last_practised']:%Y-%m-%d};"
                              f" estimated recall {kept:.0%} (half-life {half_life_days(row):.0f} days)",
                              {}, evidence_of(row)))
    ready = [r for r in rows if not mastered(r) and _ready(r["skill"], by_skill, skills)]
    for row in sorted(ready, key=lambda r: (r["probability"], r["skill"]))[:WEAKEST]:
        reason = (f"one of your weakest skills: {row['probability']:.0%} chance of answering right"
                  f" ({row['low']:.0%}–{row['high']:.0%}) after {row['answers']} answers")
        prerequisites = skills.prerequisites.get(row["skill"], [])
        if prerequisites:
            reason += f"; prerequisites mastered: {', '.join(prerequisites)}"
        lessons = skills.lessons.get(row["skill"], [])
        kind = "lesson" if lessons and row["answers"] < MIN_ANSWERS else "practice"
        steps.append(Step(kind, row["skill"], reason, {"lesson_ids": lessons} if kind == "lesson" else {},
                          evidence_of(row)))
    return steps


def _ready(skill: str, by_skill: dict[str, dict[str, Any]], skills: SkillMap) -> bool:
    return all(p in by_skill and mastered(by_skill[p]) for p in skills.prerequisites.get(skill, []))
