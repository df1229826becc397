"""A student's next steps: planned from their mastery (projections/learner/planning.py), practice
sets drawn at their level, and every suggestion shown recorded with the model version and log
position it came from, so an auditor can later ask why it was shown."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from psycopg_pool import ConnectionPool

from projections.learner import mastery_queries, skill_queries
from projections.learner.planning import plan

PRACTICE_SIZE = 5


def next_steps(pool: ConnectionPool, student_id: UUID, now: datetime, limit: int = 5) -> dict[str, Any]:
    rows = mastery_queries.mastery(pool, student_id)
    model = mastery_queries.model_position(pool)
    skills = skill_queries.skill_map(pool, [r["skill"] for r in rows])
    steps = plan(rows, mastery_queries.open_attempts(pool, student_id), skills, now)[:limit]
    shown = []
    for rank, step in enumerate(steps, 1):
        target = step.target
        if step.kind == "practice":
            level = step.evidence["probability"]
            questions = mastery_queries.practice_questions(pool, student_id, step.skill, level, PRACTICE_SIZE)
            target = {"level": round(level, 4), "questions": [
                {"question_id": q["question_id"], "success_rate": round(float(q["success_rate"]), 4)}
                for q in questions]}
        shown.append({"suggestion_id": uuid4(), "student_id": student_id, "shown_at": now, "rank": rank,
                      "kind": step.kind, "skill": step.skill, "target": target, "reason": step.reason,
                      "evidence": {**step.evidence, "model_position": model["position"]}, "model_version": model["model_version"] or "none",
                      "position": step.evidence.get("position", model["position"])})
    if shown:
        mastery_queries.record_suggestions(pool, shown)
    return {"student_id": student_id, "model_version": model["model_version"], "position": model["position"],
            "suggestions": [{k: v for k, v in s.items() if k not in ("student_id", "shown_at")} for s in shown]}


def why(pool: ConnectionPool, student_id: UUID, suggestion_id: UUID) -> dict[str, Any] | None:
    """The recorded suggestion, and the answers (log positions) the estimate behind it had learned."""
    found = mastery_queries.suggestion(pool, student_id, suggestion_id)
    if found is None:
        return None
    behind = [] if found["skill"] is None else mastery_queries.answers_behind(
        pool, student_id, found["skill"], found["position"])
    return {**found, "answers_behind": behind}
