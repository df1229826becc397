"""A live session's report, as JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.live import responses
from api.platform.auth import ActorDep, DepsDep
from api.platform.media_types import CSV, answers
from api.platform.read_position import read_after
from commands.live.access import require_examiner
from commands.pipeline import require_role
from domain.identity import Role
from projections.assessment.attempts import attempts
from projections.identity.identity import identity
from projections.live.read_model import live
from projections.live.report import report, report_csv

router = APIRouter(prefix="/api/v1", tags=["live"])


@router.get("/live-sessions/{session_id}/report", response_model=responses.Report, responses=answers(CSV),
            description="Who: the examiners, admins and auditors."
            " Attendance, connection drops, chat, integrity signals and scores; format=csv: one row per student.")
def session_report(session_id: UUID, actor: ActorDep, deps: DepsDep,
                   format: Annotated[Literal["json", "csv"], Query()] = "json",  # noqa: A002
                   _: None = read_after([live, attempts, identity])) -> Any:
    if not actor.has_role(Role.AUDITOR):
        require_examiner(deps, actor, session_id)
    else:
        require_role(actor, [Role.AUDITOR])
    data: dict[str, Any] = report(deps.pool, session_id)
    if format == "csv":
        return Response(report_csv(data), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="live-session-{session_id}.csv"'})
    return data
