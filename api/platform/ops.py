"""Liveness, readiness and projection status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.platform.auth import ActorDep, DepsDep
from api.platform.responses import Health, Readiness
from commands.pipeline import require_role
from domain.identity import Role
from projections.audit.hash_chain import latest_checkpoint
from projections.engine.tracking import ProjectionStatus, status
from projections.registry import ALL
from projections.streaming.relay_position import relay_status

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health, description="Who: anyone. The process is up.")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", response_model=Readiness, response_model_exclude_unset=True,
            responses={503: {"model": Readiness, "description": "Not ready: the database is unreachable or read models lag."}},
            description="Who: anyone. Database reachable and projection lag within bounds; failing runners are listed.")
def readyz(deps: DepsDep, response: Response) -> dict[str, Any]:
    try:
        with deps.pool.connection(timeout=2) as conn:
            conn.execute("SELECT 1")
        projections = [vars(s) for s in status(deps.pool, ALL)]
        # Shown, not counted: a slow broker delays the data team, not what this API serves.
        relay = vars(relay_status(deps.pool)) if deps.settings.kafka_bootstrap_servers else None
    except Exception as e:  # noqa: BLE001 - any failure here means "not ready"
        response.status_code = 503
        return {"ready": False, "database": f"unreachable: {type(e).__name__}"}
    lagging = [p["name"] for p in projections if p["lag"] > deps.settings.readiness_max_lag]
    # A failing runner retries by itself and is reported here; only lag makes the API unready,
    # as every replica shares the read models and would be taken out of service together.
    failing = [p["name"] for p in projections if p["last_error"]]
    response.status_code = 503 if lagging else 200
    body = {"ready": not lagging, "database": "ok", "projections": projections, "lagging": lagging, "failing": failing,
            "audit_chain": checkpoint.as_dict() if (checkpoint := latest_checkpoint(deps.pool)) else None}
    if relay is not None:
        body["kafka_relay"] = relay
    return body


@router.get("/api/v1/projections", tags=["operations"], response_model=list[ProjectionStatus], description="Who: admins and auditors.")
def projection_status(actor: ActorDep, deps: DepsDep) -> list[dict[str, Any]]:
    require_role(actor, [Role.ADMIN, Role.AUDITOR])
    return [vars(s) for s in status(deps.pool, ALL)]
