"""A session's report: attendance (first connection, drops, connected at the end), chat,
integrity signals and scores, per student and in full; and its CSV (one row per student)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import polars as pl
from psycopg_pool import ConnectionPool

from adapters.documents.spreadsheet_csv import write_csv
from domain.errors import NotFound
from projections.live import queries

_ATTENDANCE = (
    "SELECT t.person_id, u.display_name, t.drops, t.connections > 0 AS connected_at_end, t.signals,"
    " (SELECT min(f.at) FROM view_live.feed f WHERE f.session_id = t.session_id AND f.kind = 'connected'"
    "  AND f.body->>'person_id' = t.person_id::text) AS first_connected_at,"
    " count(a.question_id) AS answered, coalesce(sum(a.points), 0) AS score, t.questions,"
    " t.attempt_id, r.submitted_at, r.score AS final_score"
    " FROM view_live.seats t LEFT JOIN view_live.answers a USING (session_id, person_id)"
    " LEFT JOIN view_identity.users u ON u.user_id = t.person_id"
    " LEFT JOIN view_attempts.attempts r ON r.attempt_id = t.attempt_id"
    " WHERE t.session_id = %s AND NOT (t.person_id = ANY(%s)) GROUP BY t.session_id, t.person_id, u.display_name,"
    " r.submitted_at, r.score ORDER BY u.display_name NULLS LAST, t.person_id"
)


def report(pool: ConnectionPool, session_id: UUID) -> dict[str, Any]:
    session = queries.session(pool, session_id)
    if session is None:
        raise NotFound(f"live session {session_id} not found")
    with pool.connection() as conn:
        students = conn.execute(_ATTENDANCE, (session_id, session["examiner_ids"])).fetchall()
    entries = queries.entries(pool, session_id, ("chat", "announcement", "hand", "dropped", "integrity"))
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        by_kind.setdefault(e["kind"], []).append({"position": e["position"], "at": e["at"], **e["body"]})
    return {
        "session": {k: session[k] for k in ("session_id", "kind", "title", "starts_at", "ends_at", "status",
                                            "ended_at", "end_reason")},
        "students": students,
        "chat": by_kind.get("chat", []) + by_kind.get("announcement", []) + by_kind.get("hand", []),
        "drops": by_kind.get("dropped", []),
        "integrity_signals": by_kind.get("integrity", []),
    }


def report_csv(data: dict[str, Any]) -> str:
    rows = [{"student_id": str(s["person_id"]), "name": s["display_name"] or "",
             "first_connected_at": s["first_connected_at"].isoformat() if s["first_connected_at"] else "",
             "drops": s["drops"], "integrity_signals": s["signals"], "answered": s["answered"],
             "questions": s["questions"], "live_score": float(s["score"]),
             "submitted_at": s["submitted_at"].isoformat() if s["submitted_at"] else "", "final_score": s["final_score"]}
            for s in data["students"]]
    schema = {"student_id": pl.String, "name": pl.String, "first_connected_at": pl.String, "drops": pl.Int64,
              "integrity_signals": pl.Int64, "answered": pl.Int64, "questions": pl.Int64, "live_score": pl.Float64,
              "submitted_at": pl.String, "final_score": pl.Float64}
    return write_csv(pl.DataFrame(rows, schema=schema))
