"""The skill map the learner worker keeps (learner.skills): prerequisites and lessons per skill."""

from __future__ import annotations

from typing import Any

from psycopg_pool import ConnectionPool

from projections.learner.planning import SkillMap


def prerequisite_graph(pool: ConnectionPool) -> dict[str, list[str]]:
    with pool.connection() as conn:
        return {r["name"]: r["prerequisites"] for r in conn.execute("SELECT name, prerequisites FROM learner.skills")}


def skill_map(pool: ConnectionPool, names: list[str]) -> SkillMap:
    """The part of the map about these skills."""
    with pool.connection() as conn:
        rows = conn.execute("SELECT name, prerequisites, lesson_ids FROM learner.skills WHERE name = ANY(%s)",
                            (names,)).fetchall()
    return SkillMap({r["name"]: r["prerequisites"] for r in rows if r["prerequisites"]},
                    {r["name"]: [str(i) for i in r["lesson_ids"]] for r in rows if r["lesson_ids"]})


def skill(pool: ConnectionPool, name: str) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute("SELECT name, prerequisites, lesson_ids, position FROM learner.skills WHERE name = %s",
                            (name,)).fetchone()
