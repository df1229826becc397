"""Identity read model: people with roles and status, creator applications, sessions."""

from __future__ import annotations

import psycopg
from psycopg_pool import ConnectionPool

from adapters.events.personal_data import destroy_keys
from domain.creator_applications import CreatorApplication
from domain.event_conventions import ERASED
from domain.identity import User
from domain.sessions import Session
from projections.engine.engine import Projection
from projections.engine.row_writes import Writes, row_statement

identity = Projection(
    name="identity",
    tables=[
        """CREATE TABLE IF NOT EXISTS users (
            user_id uuid PRIMARY KEY, email text, display_name text NOT NULL, bio text,
            roles text[] NOT NULL, status text NOT NULL,
            registered_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
            last_login_at timestamptz)""",
        "CREATE INDEX IF NOT EXISTS users_registered ON users (registered_at, user_id)",
        """CREATE TABLE IF NOT EXISTS creator_applications (
            application_id uuid PRIMARY KEY, user_id uuid NOT NULL, status text NOT NULL,
            motivation text, submitted_at timestamptz NOT NULL, decided_at timestamptz,
            decided_by uuid, reason text)""",
        """CREATE TABLE IF NOT EXISTS sessions (
            session_id uuid PRIMARY KEY, user_id uuid NOT NULL, started_at timestamptz NOT NULL,
            last_used_at timestamptz NOT NULL, revoked_at timestamptz, revoke_reason text,
            address text, user_agent text)""",
        "CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id)",
    ],
)


def _personal(value: str) -> str | None:
    return None if value == ERASED else value


_REGISTER = row_statement(
    "INSERT INTO users (user_id, email, display_name, bio, roles, status, registered_at, updated_at)"
    " VALUES (%s, %s, %s, '', %s, 'active', %s, %s) ON CONFLICT (user_id) DO NOTHING",
    "uuid text text text[] timestamptz timestamptz")
_PROFILE = row_statement("UPDATE users SET display_name = %s, bio = %s, updated_at = %s WHERE user_id = %s",
                         "text text timestamptz uuid")
_GRANT = row_statement("UPDATE users SET roles = array_append(array_remove(roles, %s), %s), updated_at = %s"
                       " WHERE user_id = %s", "text text timestamptz uuid")
_REVOKE = row_statement("UPDATE users SET roles = array_remove(roles, %s), updated_at = %s WHERE user_id = %s",
                        "text timestamptz uuid")
_DEACTIVATE = row_statement("UPDATE users SET status = 'deactivated', updated_at = %s WHERE user_id = %s",
                            "timestamptz uuid")
_LOGGED_IN = row_statement("UPDATE users SET last_login_at = %s WHERE user_id = %s", "timestamptz uuid")
_SESSION = row_statement(
    "INSERT INTO sessions (session_id, user_id, started_at, last_used_at, address, user_agent)"
    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (session_id) DO NOTHING",
    "uuid uuid timestamptz timestamptz text text")
_ROTATE = row_statement("UPDATE sessions SET last_used_at = %s WHERE session_id = %s", "timestamptz uuid")
_REVOKE_SESSION = row_statement("UPDATE sessions SET revoked_at = %s, revoke_reason = %s WHERE session_id = %s",
                                "timestamptz text uuid")
_APPLY = row_statement(
    "INSERT INTO creator_applications (application_id, user_id, status, motivation, submitted_at)"
    " VALUES (%s, %s, 'pending', %s, %s) ON CONFLICT (application_id) DO UPDATE SET"
    " status = 'pending', motivation = EXCLUDED.motivation, submitted_at = EXCLUDED.submitted_at,"
    " decided_at = NULL, decided_by = NULL, reason = NULL",
    "uuid uuid text timestamptz")
_DECIDE = row_statement("UPDATE creator_applications SET status = %s, decided_at = %s, decided_by = %s, reason = %s"
                        " WHERE application_id = %s", "text timestamptz uuid text uuid")


@identity.on
def registered(w: Writes, e: User.Registered) -> None:
    w.add(_REGISTER, e.originator_id, e.originator_id, _personal(e.email), e.display_name, e.roles,
          e.timestamp, e.timestamp)


@identity.on
def profile_updated(w: Writes, e: User.ProfileUpdated) -> None:
    w.add(_PROFILE, e.originator_id, e.display_name, _personal(e.bio), e.timestamp, e.originator_id)


@identity.on
def role_granted(w: Writes, e: User.RoleGranted) -> None:
    w.add(_GRANT, e.originator_id, e.role, e.role, e.timestamp, e.originator_id)


@identity.on
def role_revoked(w: Writes, e: User.RoleRevoked) -> None:
    w.add(_REVOKE, e.originator_id, e.role, e.timestamp, e.originator_id)


@identity.on
def deactivated(w: Writes, e: User.Deactivated) -> None:
    w.add(_DEACTIVATE, e.originator_id, e.timestamp, e.originator_id)


@identity.on
def erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    """Drop every personal value this read model holds about the person, and their key:
    erasure records User.Erased first and destroys the key after, so a crash in between
    leaves a key that this (or finish_erasures at start-up) destroys."""
    destroy_keys(cur, [e.originator_id])
    cur.execute(
        "UPDATE users SET status = 'erased', email = NULL, display_name = %s, bio = NULL,"
        " updated_at = %s WHERE user_id = %s",
        (ERASED, e.timestamp, e.originator_id),
    )
    cur.execute("UPDATE creator_applications SET motivation = NULL WHERE user_id = %s", (e.originator_id,))
    cur.execute(
        "UPDATE sessions SET address = NULL, user_agent = NULL WHERE user_id = %s", (e.originator_id,)
    )


@identity.on
def session_started(w: Writes, e: Session.Started) -> None:
    w.add(_SESSION, e.originator_id, e.originator_id, e.user_id, e.timestamp, e.timestamp,
          _personal(e.address), _personal(e.user_agent))
    w.add(_LOGGED_IN, e.user_id, e.timestamp, e.user_id)


@identity.on
def session_rotated(w: Writes, e: Session.Rotated) -> None:
    w.add(_ROTATE, e.originator_id, e.timestamp, e.originator_id)


@identity.on
def session_revoked(w: Writes, e: Session.Revoked) -> None:
    w.add(_REVOKE_SESSION, e.originator_id, e.timestamp, e.reason, e.originator_id)


@identity.on
def application_submitted(w: Writes, e: CreatorApplication.Submitted | CreatorApplication.Resubmitted) -> None:
    w.add(_APPLY, e.originator_id, e.originator_id, e.user_id, _personal(e.motivation), e.timestamp)


@identity.on
def application_decided(w: Writes, e: CreatorApplication.Approved | CreatorApplication.Rejected) -> None:
    approved = isinstance(e, CreatorApplication.Approved)
    w.add(_DECIDE, e.originator_id, "approved" if approved else "rejected", e.timestamp, e.actor_id,
          None if approved else e.reason, e.originator_id)


def finish_erasures(pool: ConnectionPool) -> int:
    """Destroy the keys of people this read model shows as erased whose key survived (an
    erasure that crashed between its two steps before the handler above destroyed keys)."""
    with pool.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT k.subject_id FROM public.personal_data_keys k JOIN view_identity.users u"
            " ON u.user_id = k.subject_id WHERE u.status = 'erased' AND k.erased_at IS NULL"
        )
        survivors = [r["subject_id"] for r in cur.fetchall()]
        if survivors:
            destroy_keys(cur, survivors)
    return len(survivors)
