"""Accounts: register, profile, password change and reset, deactivation."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from uuid import UUID, uuid4

from pydantic import BaseModel, EmailStr, Field

from adapters.events.event_store import ConcurrentChange
from adapters.security.passwords import hash_password, verify_password
from commands.identity import throttle
from commands.loading import find, load, user_by_email
from commands.pipeline import (
    Actor,
    Deps,
    Done,
    acting_as,
    require_login,
    require_self_or_role,
)
from domain.email_claims import EmailClaim, email_claim_id
from domain.errors import Conflict, InvalidInput, RuleBroken, Unauthenticated
from domain.identity import Role, User

log = logging.getLogger(__name__)

Password = Field(min_length=10, max_length=256, description="at least 10 characters")


class RegisterUser(BaseModel):
    email: EmailStr
    password: str = Password
    display_name: str = Field(min_length=1, max_length=100)


class UpdateProfile(BaseModel):
    user_id: UUID
    display_name: str = Field(min_length=1, max_length=100)
    bio: str = Field(default="", max_length=5000)


class ChangePassword(BaseModel):
    current_password: str = Field(max_length=256)
    new_password: str = Password


class RequestPasswordReset(BaseModel):
    email: EmailStr


class ResetPassword(BaseModel):
    token: str = Field(min_length=10, max_length=200)
    new_password: str = Password


class DeactivateAccount(BaseModel):
    user_id: UUID
    reason: str = Field(default="", max_length=500)


def new_user(deps: Deps, user_id: UUID, email: str, password: str, display_name: str) -> list[object]:
    """The aggregates to save for a new account: the person and their e-mail claim."""
    user = User.register(user_id, email, display_name, hash_password(password))
    claim_id = email_claim_id(email, deps.settings.resolved_identifier_key())
    claim = find(deps, EmailClaim, claim_id)
    if claim is None:
        claim = EmailClaim.claim(claim_id, user_id)
    else:
        try:
            claim.reclaim(user_id)
        except RuleBroken:
            raise Conflict("e-mail address already registered", fields={"email": "already registered"}) from None
    return [user, claim]


def register_user(cmd: RegisterUser, actor: Actor, deps: Deps) -> Done:
    user_id = uuid4()
    # Signing up, the new person is the actor; an admin creating an account stays the actor.
    with acting_as(actor.user_id or user_id):
        user, claim = new_user(deps, user_id, cmd.email, cmd.password, cmd.display_name)
    try:
        position = deps.store.record(user, claim)
    except ConcurrentChange:
        raise Conflict("e-mail address already registered", fields={"email": "already registered"}) from None
    return Done(position, {"user_id": user.id})


def update_profile(cmd: UpdateProfile, actor: Actor, deps: Deps) -> Done:
    require_self_or_role(actor, cmd.user_id, [Role.ADMIN])
    user = load(deps, User, cmd.user_id, "user")
    user.update_profile(cmd.display_name, cmd.bio)
    return Done(deps.store.record(user))


def change_password(cmd: ChangePassword, actor: Actor, deps: Deps) -> Done:
    user = load(deps, User, require_login(actor), "user")
    # Counted before the check, as logins are: a stolen access token must not become a way to
    # guess the password. A right password takes its attempt back.
    attempts = throttle.count_attempt(
        deps.pool, {f"password-change:{user.id}": deps.settings.password_change_max_failures},
        deps.settings.login_window_seconds, "too many wrong current passwords; try again later",
    )
    if not verify_password(user.password_hash, cmd.current_password):
        raise InvalidInput("current password is wrong", fields={"current_password": "wrong password"})
    throttle.take_back(deps.pool, attempts)
    user.change_password(hash_password(cmd.new_password), kept_session_id=actor.session_id)
    return Done(deps.store.record(user))


def request_password_reset(cmd: RequestPasswordReset, actor: Actor, deps: Deps) -> Done:
    """Answers the same whether or not the address is registered, throttled alike."""
    s = deps.settings
    throttle.count_attempt(
        deps.pool,
        {f"reset-account:{email_claim_id(cmd.email, s.resolved_identifier_key())}": s.password_reset_max_per_account,
         f"reset-address:{actor.address}": s.password_reset_max_per_address},
        s.password_reset_window_seconds, "too many password reset requests; try again later",
    )
    user = user_by_email(deps, cmd.email)
    if user is None or not user.is_active:
        return Done(0)
    token = f"{user.id}.{secrets.token_urlsafe(32)}"
    ttl = timedelta(seconds=deps.settings.password_reset_ttl_seconds)
    user.request_password_reset(token, deps.clock() + ttl)
    position = deps.store.record(user)
    if deps.settings.dev_mode:
        log.warning("dev mode: password reset token for user %s: %s", user.id, token)
    return Done(position)


def reset_password(cmd: ResetPassword, actor: Actor, deps: Deps) -> Done:
    try:
        user_id = UUID(cmd.token.split(".", 1)[0])
    except ValueError:
        raise Unauthenticated("reset token is invalid or already used") from None
    user = find(deps, User, user_id)
    if user is None:
        raise Unauthenticated("reset token is invalid or already used")
    with acting_as(user.id):  # holding the token proves it is them
        user.reset_password(cmd.token, hash_password(cmd.new_password), deps.clock())
    return Done(deps.store.record(user))


def deactivate_account(cmd: DeactivateAccount, actor: Actor, deps: Deps) -> Done:
    require_self_or_role(actor, cmd.user_id, [Role.ADMIN])
    user = load(deps, User, cmd.user_id, "user")
    user.deactivate(cmd.reason or ("by the account holder" if actor.user_id == cmd.user_id else "by an admin"))
    return Done(deps.store.record(user))
