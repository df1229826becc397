"""What a person teaches, for the teacher's dashboard to choose from: the open classes they teach
and the published courses they own, each with how many current students it has."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

_SCOPES = """
SELECT 'class' AS scope, c.class_id AS scope_id, c.name AS title,
  (SELECT count(*) FROM view_classroom.members m WHERE m.class_id = c.class_id AND m.removed_at IS NULL) AS students
FROM view_classroom.classes c WHERE c.teacher_id = %(me)s AND c.archived_at IS NULL
UNION ALL
SELECT 'course', k.course_id, coalesce(k.title, ''),
  (SELECT count(*) FROM view_enrolment.enrolments e WHERE e.course_id = k.course_id AND e.active)
FROM view_catalog.courses k WHERE k.owner_id = %(me)s AND k.published_at IS NOT NULL
ORDER BY scope DESC, title, scope_id"""


def scopes_taught(pool: ConnectionPool, user_id: UUID) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute(_SCOPES, {"me": user_id}).fetchall()
