"""Response models of the identity routes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from api.platform.responses import HistoryRecord, Written
from domain.creator_applications import ApplicationStatus
from domain.identity import Role, Status


class Registered(Written):
    user_id: UUID


class Tokens(Written):
    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str
    user_id: UUID
    roles: list[Role]


class ResetRequested(BaseModel):
    status: str


class Profile(BaseModel):
    """An erased person's e-mail is null and their name and bio "[erased]"."""

    user_id: UUID
    email: str | None
    display_name: str
    bio: str | None
    roles: list[Role]
    status: Status
    registered_at: datetime
    updated_at: datetime
    last_login_at: datetime | None


class SessionSummary(BaseModel):
    session_id: UUID
    started_at: datetime
    last_used_at: datetime
    revoked_at: datetime | None
    revoke_reason: str | None
    address: str | None
    user_agent: str | None


class MyData(BaseModel):
    user_id: UUID
    events: list[HistoryRecord]


class ApplicationSubmitted(Written):
    application_id: UUID


class CreatorApplication(BaseModel):
    application_id: UUID
    user_id: UUID
    display_name: str | None
    status: ApplicationStatus
    motivation: str | None
    submitted_at: datetime
    decided_at: datetime | None
    decided_by: UUID | None
    reason: str | None
