"""Auditor tools over HTTP: the decoded event history, filtered and paginated."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.platform.auth import ActorDep, DepsDep
from api.platform.responses import HistoryRecord, Page
from commands.pipeline import require_role
from domain.identity import Role
from projections.audit.event_history import HistoryFilter, history_page

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("/events", response_model=Page[HistoryRecord], description="Who: auditors and admins. Secrets (hashes, tokens) are redacted.")
def events(
    actor: ActorDep, deps: DepsDep,
    aggregate_id: UUID | None = None, person_id: UUID | None = None,
    event_type: Annotated[str | None, Query(max_length=200, description="e.g. User.Registered")] = None,
    since: datetime | None = None, until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, cursor: str | None = None,
) -> dict[str, Any]:
    require_role(actor, [Role.AUDITOR, Role.ADMIN])
    f = HistoryFilter(aggregate_id, person_id, event_type, since, until)
    return history_page(deps.pool, deps.store, f, cursor, limit)
