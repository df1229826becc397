"""Queries on the identity read model (plain SQL, schema-qualified)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page

_USER_COLUMNS = "user_id, email, display_name, bio, roles, status, registered_at, updated_at, last_login_at"


def user_profile(pool: ConnectionPool, user_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(
            f"SELECT {_USER_COLUMNS} FROM view_identity.users WHERE user_id = %s", (user_id,)
        ).fetchone()


def list_users(
    pool: ConnectionPool, *, limit: int, cursor: str | None, role: str | None = None,
    status: str | None = None, text: str | None = None,
) -> dict[str, Any]:
    where, params = ["true"], []
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    if after:
        where.append("(registered_at, user_id) > (%s::timestamptz, %s::uuid)")
        params += after
    if role:
        where.append("%s = ANY(roles)")
        params.append(role)
    if status:
        where.append("status = %s")
        params.append(status)
    if text:
        where.append("(email ILIKE %s OR display_name ILIKE %s)")
        params += [f"%{text}%", f"%{text}%"]
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT {_USER_COLUMNS} FROM view_identity.users WHERE {' AND '.join(where)}"
            " ORDER BY registered_at, user_id LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "registered_at", "user_id")


def list_creator_applications(
    pool: ConnectionPool, *, limit: int, cursor: str | None, status: str | None
) -> dict[str, Any]:
    where, params = ["true"], []
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    if after:
        where.append("(a.submitted_at, a.application_id) > (%s::timestamptz, %s::uuid)")
        params += after
    if status:
        where.append("a.status = %s")
        params.append(status)
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT a.application_id, a.user_id, u.display_name, a.status, a.motivation,"
            " a.submitted_at, a.decided_at, a.decided_by, a.reason"
            " FROM view_identity.creator_applications a"
            " LEFT JOIN view_identity.users u USING (user_id)"
            f" WHERE {' AND '.join(where)} ORDER BY a.submitted_at, a.application_id LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "submitted_at", "application_id")


def sessions_of(pool: ConnectionPool, user_id: UUID, *, limit: int = 50, cursor: str | None = None) -> dict[str, Any]:
    """Newest first."""
    where, params = ["user_id = %s"], [user_id]
    before = decode_cursor(cursor, Kind.TIME, Kind.ID)
    if before:
        where.append("(started_at, session_id) < (%s::timestamptz, %s::uuid)")
        params += before
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT session_id, started_at, last_used_at, revoked_at, revoke_reason, address, user_agent"
            f" FROM view_identity.sessions WHERE {' AND '.join(where)}"
            " ORDER BY started_at DESC, session_id DESC LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "started_at", "session_id")
