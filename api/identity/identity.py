"""Identity endpoints. Each route's description says who may call it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from adapters.events.cloudevents import to_json
from api.identity.responses import (
    ApplicationSubmitted,
    CreatorApplication,
    MyData,
    Profile,
    Registered,
    ResetRequested,
    SessionSummary,
    Tokens,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.links import follow_ups
from api.platform.problem_statuses import THROTTLED
from api.platform.read_position import read_after
from api.platform.responses import Page, Written
from commands.identity import accounts, privacy, roles, sessions
from commands.pipeline import require_login, require_role, require_self_or_role
from domain.creator_applications import ApplicationStatus
from domain.errors import NotFound
from domain.identity import Role, Status
from projections.audit.event_history import HistoryFilter, iter_history
from projections.identity import queries as identity_queries
from projections.identity.identity import identity

router = APIRouter(prefix="/api/v1", tags=["identity"])
Limit = Annotated[int, Query(ge=1, le=200)]


_USER_LINKS = follow_ups(201, "user_id", "user_id", *(f"{method} /api/v1/users/{{user_id}}{tail}" for method, tail in (
    ("GET", ""), ("PATCH", ""), ("POST", "/roles"), ("POST", "/deactivation"), ("POST", "/erasure"))))


class ProfileChange(BaseModel):
    display_name: str = Field(min_length=1, max_length=100)
    bio: str = Field(default="", max_length=5000)


class RoleChange(BaseModel):
    role: Role


class Deactivation(BaseModel):
    reason: str = Field(default="", max_length=500)


class Decision(BaseModel):
    approve: bool
    reason: str = Field(default="", max_length=2000)


@router.post("/users", status_code=201, response_model=Registered, responses=_USER_LINKS, description="Who: anyone. Creates a student account.")
def register(body: accounts.RegisterUser, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(accounts.register_user, body, actor, deps, response)


@router.post("/sessions", status_code=201, response_model=Tokens, responses=THROTTLED, description="Who: anyone. Logs in; failed tries are throttled (429).")
def log_in(body: sessions.LogIn, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(sessions.log_in, body, actor, deps, response)


@router.post("/sessions/refresh", response_model=Tokens, description="Who: holder of a refresh token. Rotates it; reuse revokes the login.")
def refresh(body: sessions.RefreshSession, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(sessions.refresh_session, body, actor, deps, response)


@router.delete("/sessions/current", response_model=Written, description="Who: any logged-in person. Logs out this session.")
def log_out(actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(sessions.log_out, None, actor, deps, response)


@router.post("/password-resets", status_code=202, response_model=ResetRequested, responses=THROTTLED, description="Who: anyone. Same answer whether or not the address exists.")
def request_reset(body: accounts.RequestPasswordReset, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    run(accounts.request_password_reset, body, actor, deps, response)
    del response.headers["X-Log-Position"]
    return {"status": "if the address is registered, a reset link is on its way"}


@router.post("/password-resets/confirm", response_model=Written, description="Who: holder of a reset token (single use, expiring).")
def confirm_reset(body: accounts.ResetPassword, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(accounts.reset_password, body, actor, deps, response)


@router.get("/users/me", response_model=Profile, description="Who: any logged-in person, about themselves.")
def my_profile(actor: ActorDep, deps: DepsDep, _: None = read_after([identity])) -> dict[str, Any]:
    return user_profile(require_login(actor), actor, deps, None)


@router.post("/users/me/password", response_model=Written, responses=THROTTLED, description="Who: any logged-in person. Other sessions end.")
def change_password(body: accounts.ChangePassword, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(accounts.change_password, body, actor, deps, response)


@router.get("/users/me/sessions", response_model=Page[SessionSummary], description="Who: any logged-in person, their own sessions, newest first.")
def my_sessions(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None, _: None = read_after([identity]),
) -> dict[str, Any]:
    user_id = require_login(actor)
    return identity_queries.sessions_of(deps.pool, user_id, limit=limit, cursor=cursor)


@router.get(
    "/users/me/data", response_class=StreamingResponse, responses={200: {"model": MyData}},
    description="Who: any logged-in person. Every event about them (their account, logins, applications,"
    " and events naming them), their own personal data decrypted, anyone else's redacted; streamed JSON"
    " `{\"user_id\": ..., \"events\": [...]}`.",
)
def my_data(actor: ActorDep, deps: DepsDep) -> StreamingResponse:
    user_id = require_login(actor)
    about_me = HistoryFilter(person_id=user_id, person_actions=False)

    def body() -> Iterator[bytes]:
        yield b'{"user_id":' + to_json(user_id) + b',"events":['
        for n, record in enumerate(iter_history(deps.pool, deps.store, about_me, readable_by=user_id)):
            yield (b"," if n else b"") + to_json(record)
        yield b"]}"

    return StreamingResponse(body(), media_type="application/json")


@router.get("/users", response_model=Page[Profile], description="Who: admins and auditors. Filter by role, status, text.")
def list_users(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None,
    role: Role | None = None, status: Status | None = None, q: Annotated[str | None, Query(max_length=200)] = None,
    _: None = read_after([identity]),
) -> dict[str, Any]:
    require_role(actor, [Role.ADMIN, Role.AUDITOR])
    return identity_queries.list_users(
        deps.pool, limit=limit, cursor=cursor, role=role.value if role else None,
        status=status.value if status else None, text=q,
    )


@router.get("/users/{user_id}", response_model=Profile, description="Who: the person themselves, admins, moderators and auditors.")
def user_profile(user_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([identity])) -> dict[str, Any]:
    require_self_or_role(actor, user_id, [Role.ADMIN, Role.MODERATOR, Role.AUDITOR])
    profile = identity_queries.user_profile(deps.pool, user_id)
    if profile is None:
        raise NotFound(f"user {user_id} not found")
    return profile


@router.patch("/users/{user_id}", response_model=Written, description="Who: the person themselves and admins.")
def update_profile(user_id: UUID, body: ProfileChange, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = accounts.UpdateProfile(user_id=user_id, **body.model_dump())
    return run(accounts.update_profile, cmd, actor, deps, response)


@router.post("/users/{user_id}/deactivation", response_model=Written, description="Who: the person themselves and admins.")
def deactivate(user_id: UUID, body: Deactivation, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = accounts.DeactivateAccount(user_id=user_id, reason=body.reason)
    return run(accounts.deactivate_account, cmd, actor, deps, response)


@router.post("/users/{user_id}/erasure", response_model=Written, description="Who: the person themselves and admins. Irreversible.")
def erase(user_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(privacy.erase_person, privacy.ErasePerson(user_id=user_id), actor, deps, response)


@router.post("/users/{user_id}/roles", response_model=Written, description="Who: admins.")
def grant_role(user_id: UUID, body: RoleChange, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(roles.grant_role, roles.ChangeRole(user_id=user_id, role=body.role), actor, deps, response)


@router.delete("/users/{user_id}/roles/{role}", response_model=Written, description="Who: admins (not their own admin role).")
def revoke_role(user_id: UUID, role: Role, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(roles.revoke_role, roles.ChangeRole(user_id=user_id, role=role), actor, deps, response)


@router.post("/creator-applications", status_code=201, response_model=ApplicationSubmitted, responses=follow_ups(
    201, "application_id", "application_id", "POST /api/v1/creator-applications/{application_id}/decision"), description="Who: any logged-in person who is not yet a creator.")
def apply_for_creator(body: roles.ApplyForCreator, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(roles.apply_for_creator, body, actor, deps, response)


@router.get("/creator-applications", response_model=Page[CreatorApplication], description="Who: moderators, admins and auditors (who read every application in the history anyway).")
def list_creator_applications(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None,
    status: ApplicationStatus = ApplicationStatus.PENDING, _: None = read_after([identity]),
) -> dict[str, Any]:
    require_role(actor, [Role.MODERATOR, Role.ADMIN, Role.AUDITOR])
    return identity_queries.list_creator_applications(deps.pool, limit=limit, cursor=cursor, status=status.value)


@router.post("/creator-applications/{application_id}/decision", response_model=Written, description="Who: moderators and admins, not about themselves.")
def decide(application_id: UUID, body: Decision, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = roles.DecideCreatorApplication(application_id=application_id, **body.model_dump())
    return run(roles.decide_creator_application, cmd, actor, deps, response)
