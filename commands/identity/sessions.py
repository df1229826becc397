"""Sessions: log in (throttled; failures on an existing account recorded), rotate refresh
tokens, log out, authenticate requests."""

from __future__ import annotations

import secrets
from datetime import timedelta
from uuid import UUID, uuid4

from pydantic import BaseModel, EmailStr, Field

from adapters.security.passwords import verify_password
from adapters.security.tokens import AccessClaims
from commands.identity import throttle
from commands.loading import find, user_by_email
from commands.pipeline import Actor, Deps, Done, acting_as, require_login
from domain.email_claims import email_claim_id
from domain.errors import Unauthenticated
from domain.identity import User
from domain.sessions import FailedLogin, Session


class LogIn(BaseModel):
    email: EmailStr
    password: str = Field(max_length=256)


class RefreshSession(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=300)


def _tokens(deps: Deps, user: User, session_id: UUID, refresh_secret: str) -> dict[str, object]:
    access = deps.tokens.issue(AccessClaims(user.id, session_id, sorted(user.roles)), deps.clock())
    return {
        "access_token": access,
        "token_type": "bearer",
        "expires_in": int(deps.tokens.ttl.total_seconds()),
        "refresh_token": f"{session_id}.{refresh_secret}",
        "user_id": user.id,
        "roles": sorted(user.roles),
    }


def log_in(cmd: LogIn, actor: Actor, deps: Deps) -> Done:
    s = deps.settings
    account_key = f"login-account:{email_claim_id(cmd.email, s.resolved_identifier_key())}"
    attempt = throttle.count_attempt(
        deps.pool,
        {account_key: s.login_max_failures_per_account, f"login-address:{actor.address}": s.login_max_failures_per_address},
        s.login_window_seconds, "too many failed logins; try again later",
    )
    user = user_by_email(deps, cmd.email)
    password_ok = verify_password(user.password_hash if user else None, cmd.password)
    if user is None or not password_ok or not user.is_active:
        if user is not None:  # the attempt stays counted; the account's history gets it too
            reason = f"account is {user.status.value}" if password_ok else "wrong password"
            deps.store.record(FailedLogin.record(uuid4(), user.id, reason, actor.address, actor.user_agent))
        raise Unauthenticated("e-mail or password is wrong, or the account is not active")
    throttle.take_back(deps.pool, attempt)
    throttle.clear(deps.pool, account_key)
    session_id, refresh_secret = uuid4(), secrets.token_urlsafe(32)
    with acting_as(user.id):
        session = Session.start(
            session_id, user.id, refresh_secret, deps.clock() + timedelta(seconds=s.refresh_token_ttl_seconds),
            actor.address, actor.user_agent,
        )
    position = deps.store.record(session)
    return Done(position, _tokens(deps, user, session_id, refresh_secret))


def refresh_session(cmd: RefreshSession, actor: Actor, deps: Deps) -> Done:
    invalid = Unauthenticated("refresh token is invalid")
    try:
        session_part, presented = cmd.refresh_token.split(".", 1)
        session_id = UUID(session_part)
    except ValueError:
        raise invalid from None
    session = find(deps, Session, session_id)
    if session is None:
        raise invalid
    with acting_as(session.user_id):  # a token of the login: its owner's credentials act
        user = find(deps, User, session.user_id)
        if user is None or not user.accepts_session(session.id, session.created_on):
            session.revoke("account no longer accepts this session")
            deps.store.record(session)
            raise Unauthenticated("session has ended")
        new_secret = secrets.token_urlsafe(32)
        expires = deps.clock() + timedelta(seconds=deps.settings.refresh_token_ttl_seconds)
        if not session.rotate(presented, new_secret, expires, deps.clock()):
            deps.store.record(session)
            raise Unauthenticated("refresh token was already used: every token of this login is revoked")
    position = deps.store.record(session)
    return Done(position, _tokens(deps, user, session.id, new_secret))


def log_out(cmd: None, actor: Actor, deps: Deps) -> Done:
    require_login(actor)
    session = find(deps, Session, actor.session_id) if actor.session_id else None
    if session is None or session.revoked:
        return Done(0)
    session.revoke("logout")
    return Done(deps.store.record(session))


def authenticate(deps: Deps, access_token: str, address: str, user_agent: str) -> Actor:
    """Check a bearer token against the current state of its session and its person: from the
    cache of sessions known valid (commands/identity/session_cache.py), else from the log."""
    claims = deps.tokens.verify(access_token)
    if (known := deps.sessions.get(claims.session_id)) is not None and known[0] == claims.user_id:
        return Actor(claims.user_id, known[1], claims.session_id, address, user_agent)
    seen = deps.sessions.generation(claims.session_id, claims.user_id)
    with deps.keys.batch():  # one key look-up for both aggregates
        session = find(deps, Session, claims.session_id)
        if session is None or session.revoked or session.user_id != claims.user_id:
            raise Unauthenticated("session has ended; log in again")
        user = find(deps, User, claims.user_id)
    if user is None or not user.accepts_session(session.id, session.created_on):
        raise Unauthenticated("session has ended; log in again")
    roles = frozenset(user.roles)
    deps.sessions.remember(session.id, user.id, roles, seen)
    return Actor(user.id, roles, session.id, address, user_agent)
