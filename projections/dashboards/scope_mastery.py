"""A class's or course's mastery per skill, for the teacher's dashboard: the skills its published
quizzes test (as the learner worker names them: trimmed, lower case), and over its current
students, per skill, how many have an estimate, their mean chance, how many mastered it and how
many fall in each fifth of the scale. For a class also the students × skills grid of estimates
(a course may have thousands of students: the per-skill distribution only). Reads the learner
worker's `learner.mastery` beside the classroom, enrolment, identity and quizzes read models."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.learner.mastery_queries import model_position
from projections.learner.planning import MASTERED, MIN_ANSWERS

BANDS = 5  # fifths of the scale: 0–20 %, …, 80–100 %

_STUDENTS = {
    "class": "SELECT m.student_id, coalesce(u.display_name, '') AS display_name FROM view_classroom.members m"
             " LEFT JOIN view_identity.users u ON u.user_id = m.student_id"
             " WHERE m.class_id = %(scope)s AND m.removed_at IS NULL ORDER BY m.joined_at, m.student_id",
    "course": "SELECT e.student_id, coalesce(u.display_name, '') AS display_name FROM view_enrolment.enrolments e"
              " LEFT JOIN view_identity.users u ON u.user_id = e.student_id"
              " WHERE e.course_id = %(scope)s AND e.active ORDER BY e.enrolled_at, e.student_id",
}
_SKILLS = """
SELECT DISTINCT lower(btrim(s.skill)) AS skill
FROM view_quizzes.quizzes q JOIN view_quizzes.versions v USING (quiz_id),
     jsonb_each(v.snapshot->'questions') AS item(question_id, question),
     jsonb_array_elements_text(coalesce(item.question->'skills', '[]')) AS s(skill)
WHERE q.audience_id = %(scope)s ORDER BY 1"""
_SUMMARY = """
SELECT k.skill, count(m.student_id) AS students_estimated, avg(m.probability) AS mean,
       count(m.student_id) FILTER (WHERE m.probability >= %(mastered)s AND m.answers >= %(min_answers)s) AS mastered,
       array_agg(least(floor(m.probability * %(bands)s), %(bands)s - 1)::int) FILTER (WHERE m.student_id IS NOT NULL)
         AS band_of_each
FROM unnest(%(skills)s::text[]) AS k(skill)
LEFT JOIN learner.mastery m ON m.skill = k.skill AND m.student_id = ANY(%(students)s)
GROUP BY k.skill ORDER BY k.skill"""
_CELLS = ("SELECT student_id, skill, probability, answers FROM learner.mastery"
          " WHERE student_id = ANY(%(students)s) AND skill = ANY(%(skills)s)")


def scope_mastery(pool: ConnectionPool, scope: str, scope_id: UUID) -> dict[str, Any]:
    with pool.connection() as conn:
        students = conn.execute(_STUDENTS[scope], {"scope": scope_id}).fetchall()
        skills = [r["skill"] for r in conn.execute(_SKILLS, {"scope": scope_id})]
        params = {"skills": skills, "students": [s["student_id"] for s in students], "bands": BANDS,
                  "mastered": MASTERED, "min_answers": MIN_ANSWERS}
        summary = conn.execute(_SUMMARY, params).fetchall()
        cells = conn.execute(_CELLS, params).fetchall() if scope == "class" else []
    model = model_position(pool)
    answer: dict[str, Any] = {
        "scope": scope, "model_version": model["model_version"], "position": model["position"],
        "student_count": len(students),
        "skills": [{"skill": r["skill"], "students_estimated": r["students_estimated"],
                    "mean": None if r["mean"] is None else float(r["mean"]), "mastered": r["mastered"],
                    "bands": [(r["band_of_each"] or []).count(b) for b in range(BANDS)]} for r in summary],
        "students": None, "values": None, "answers": None}
    if scope == "class":
        found = {(c["student_id"], c["skill"]): c for c in cells}
        grid = [[found.get((s["student_id"], skill)) for skill in skills] for s in students]
        answer |= {"students": students,
                   "values": [[c and c["probability"] for c in row] for row in grid],
                   "answers": [[c["answers"] if c else 0 for c in row] for row in grid]}
    return answer
