"""A student's course recommendations from the recommender's read model (signals.py), ranked by
ranking.py, one slot explored (exploration.py). Left out: courses the student took (enrolled,
even if they left), unpublished or archived ones, and those whose prerequisites they have not
completed. Each item says why; the answer names the model version and the log position."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.recommendations.exploration import EXPLORE_BELOW, explore_pick
from projections.recommendations.ranking import MODEL_VERSION, PAIR_WINDOW, engagement_score, rank

_CANDIDATES = """
    SELECT c.course_id, c.title, c.category_ids, c.enrolled, c.completed, c.passed
      FROM view_recommendations.courses c
     WHERE c.status = 'published'
       AND NOT EXISTS (SELECT 1 FROM view_recommendations.taken t WHERE t.student_id = %(s)s AND t.course_id = c.course_id)
       AND c.prerequisites <@ ARRAY(SELECT course_id FROM view_recommendations.taken
                                    WHERE student_id = %(s)s AND completed)::uuid[]
       AND (c.course_id = ANY(%(follow_ons)s) OR c.category_ids && %(liked)s::uuid[] OR c.enrolled < %(explore)s
            OR c.course_id IN (SELECT course_id FROM view_recommendations.courses WHERE status = 'published'
                                ORDER BY enrolled + 2 * completed + passed DESC LIMIT %(popular)s))"""
# Only courses that can score are read: follow-ons of the student's courses, their categories',
# courses still explored, and the most popular (enough to fill any list after the taken ones).
POPULAR = 200

# The strongest follow-ons of each of the student's recent courses: a popular course has one
# toward nearly every other, and a candidate outside every list could not enter the top anyway.
STRONGEST = 100
_STRONGEST_FOLLOW_ONS = """
    SELECT c.course_id AS from_course, f.to_course, f.weight, c.out_weight
      FROM view_recommendations.courses c,
           LATERAL (SELECT to_course, weight FROM view_recommendations.follow_on
                     WHERE from_course = c.course_id ORDER BY weight DESC LIMIT %s) f
     WHERE c.course_id = ANY(%s)"""


def _explanation(reason: str, because: Any, titles: dict[Any, str]) -> str:
    if reason == "follow_on":
        return f"Students who took \u201c{titles.get(because, 'a course you took')}\u201d went on to take this course."
    if reason == "category":
        return "In a category you follow or took courses in, and popular there."
    if reason == "explore":
        return "A new course few students have seen yet: shown to some students so new courses get a chance."
    return "Popular with students on SkillHub."


def recommend(pool: ConnectionPool, student_id: UUID, limit: int = 10) -> dict[str, Any]:
    """Read in one snapshot with the read model's position, so the position cited is the one
    the answer was computed at."""
    with pool.connection() as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        position = conn.execute("SELECT position FROM view_recommendations.tracking").fetchone()["position"]
        history = conn.execute(
            "SELECT t.course_id, c.title, c.category_ids FROM view_recommendations.taken t"
            " JOIN view_recommendations.courses c USING (course_id) WHERE t.student_id = %s ORDER BY t.seq",
            (student_id,)).fetchall()
        recent = [r["course_id"] for r in history[-PAIR_WINDOW * 2:]]
        pairs = conn.execute(_STRONGEST_FOLLOW_ONS, (STRONGEST, recent)).fetchall()
        follows = conn.execute("SELECT category_id FROM view_recommendations.follows WHERE user_id = %s",
                               (student_id,)).fetchall()
        liked = {c for r in history for c in r["category_ids"]} | {r["category_id"] for r in follows}
        candidates = conn.execute(_CANDIDATES, {
            "s": student_id, "follow_ons": list({p["to_course"] for p in pairs}), "liked": list(liked),
            "explore": EXPLORE_BELOW, "popular": POPULAR + len(history)}).fetchall()
    follow_on: dict[Any, dict[Any, float]] = {}
    out_weight = {}
    for p in pairs:
        follow_on.setdefault(p["from_course"], {})[p["to_course"]] = p["weight"]
        out_weight[p["from_course"]] = p["out_weight"]
    by_id = {r["course_id"]: r for r in candidates}
    engagement = {i: engagement_score(r["enrolled"], r["completed"], r["passed"]) for i, r in by_id.items()}
    ranked = rank([r["course_id"] for r in history], list(by_id), follow_on, out_weight, engagement,
                  {i: r["category_ids"] for i, r in by_id.items()}, liked, limit)
    items = [{"course_id": s.course, "reason": s.reason, "because_of": s.because_of, "score": round(s.score, 6)}
             for s in ranked]
    _explore(items, student_id, position, by_id, limit)
    titles = {r["course_id"]: r["title"] for r in history} | {i: r["title"] for i, r in by_id.items()}
    for item in items:
        item["title"] = titles[item["course_id"]]
        item["explanation"] = _explanation(item["reason"], item["because_of"], titles)
    return {"items": items, "model_version": MODEL_VERSION, "position": position}


def _explore(items: list[dict[str, Any]], student_id: UUID, position: int, by_id: dict[Any, Any], limit: int) -> None:
    """The last slot of a list of two or more goes to a course still being explored."""
    if limit < 2:
        return
    shown = {i["course_id"] for i in items[:limit - 1]}
    arms = [{"course_id": i, "enrolled": r["enrolled"], "succeeded": max(r["completed"], r["passed"])}
            for i, r in by_id.items() if r["enrolled"] < EXPLORE_BELOW and i not in shown]
    picked = explore_pick(student_id, position, arms)
    if picked is None:
        return
    del items[limit - 1:]
    items[:] = [i for i in items if i["course_id"] != picked["course_id"]]
    items.append({"course_id": picked["course_id"], "reason": "explore", "because_of": None, "score": None})
