"""Next steps from mastery rows: continue first, spaced reviews, readiness, lesson or practice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from projections.learner.planning import SkillMap, half_life_days, plan, recall

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def row(skill: str, p: float, answers: int, right: int, days_ago: float = 0.0) -> dict:
    return {"skill": skill, "probability": p, "low": p - 0.1, "high": p + 0.1, "answers": answers,
            "right_answers": right, "last_practised": NOW - timedelta(days=days_ago),
            "model_version": "kt-test", "position": 42}


def test_continue_comes_first_then_weakest_ready_skills():
    attempt = {"attempt_id": uuid4(), "quiz_id": uuid4(), "started_at": NOW, "position": 50}
    steps = plan([row("b", 0.6, 5, 3), row("a", 0.3, 4, 1), row("c", 0.5, 2, 1)], [attempt], SkillMap(), NOW)
    assert [(s.kind, s.skill) for s in steps] == [("continue", None), ("practice", "a"), ("practice", "c"),
                                                  ("practice", "b")]
    assert steps[0].target["attempt_id"] == str(attempt["attempt_id"])
    assert "30%" in steps[1].reason and steps[1].evidence["position"] == 42


def test_skills_with_unmastered_prerequisites_wait():
    skills = SkillMap(prerequisites={"algebra": ["arithmetic"], "geometry": ["arithmetic"]},
                      lessons={"geometry": ["lesson-1"]})
    rows = [row("arithmetic", 0.5, 6, 3), row("algebra", 0.1, 3, 0), row("geometry", 0.2, 1, 0)]
    assert [s.skill for s in plan(rows, [], skills, NOW)] == ["arithmetic"]
    rows[0] = row("arithmetic", 0.9, 10, 9)
    steps = plan(rows, [], skills, NOW)
    assert [(s.kind, s.skill) for s in steps] == [("practice", "algebra"), ("lesson", "geometry")]
    assert steps[1].target == {"lesson_ids": ["lesson-1"]} and "prerequisites mastered: arithmetic" in steps[1].reason


def test_mastered_skills_come_back_for_review_after_their_half_life():
    fresh, due = row("x", 0.9, 5, 5, days_ago=10), row("y", 0.9, 5, 4, days_ago=10)
    assert half_life_days(fresh) == 32 and half_life_days(due) == 8
    assert recall(due, NOW) < 0.5 < recall(fresh, NOW)
    steps = plan([fresh, due], [], SkillMap(), NOW)
    assert [(s.kind, s.skill) for s in steps] == [("review", "y")]
    assert "half-life 8 days" in steps[0].reason
