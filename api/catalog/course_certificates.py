"""A course's certificates, for the people who may revoke them: admins, moderators, the course's
owner, and teachers for the holders they assigned the course to (the rule of
commands/certification/certification.py, here read from the read models)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.catalog.responses.certificates import CourseCertificate
from api.platform.auth import ActorDep, DepsDep
from api.platform.common_responses import Page
from api.platform.read_position import read_after
from commands.pipeline import Actor, Deps, require_login
from domain.errors import Forbidden, NotFound
from domain.identity import Role
from projections.catalog import course_queries
from projections.catalog.catalog import catalog
from projections.certification import queries
from projections.certification.certification import certification

router = APIRouter(prefix="/api/v1", tags=["certification"])
Limit = Annotated[int, Query(ge=1, le=100)]


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"


def _holders_assigned_by(actor: Actor, deps: Deps, course_id: UUID) -> UUID | None:
    """Whose certificates of the course the caller may list, by the rule for revoking them
    (commands/certification/certification.py): None for admins, moderators and the course's owner (everyone's),
    a teacher's own id (the holders they assigned the course to); Forbidden for anyone else."""
    caller = require_login(actor)
    owner_id = course_queries.course_owner(deps.pool, course_id)
    if owner_id is None:
        raise NotFound(f"course {course_id} not found")
    if caller == owner_id or actor.has_role(Role.ADMIN, Role.MODERATOR):
        return None
    if actor.has_role(Role.TEACHER):
        return caller
    raise Forbidden("only admins, moderators, the course's owner and the holders' teachers list its certificates")


@router.get("/courses/{course_id}/certificates", response_model=Page[CourseCertificate], description=(
    "Who: those who may revoke them: admins, moderators and the course's owner (every certificate of the"
    " course), and teachers (the certificates of the holders they assigned the course to); anyone else 403."
    " Newest first, `status` valid or revoked, `limit` + `cursor`; each with the holder's id and name, issue"
    " and revocation times and the verification code."))
def course_certificates(
    course_id: UUID, actor: ActorDep, deps: DepsDep, status: CertificateStatus | None = None, limit: Limit = 50,
    cursor: str | None = None, _: None = read_after([catalog, certification]),
) -> dict[str, Any]:
    require_login(actor)
    assigned_by = _holders_assigned_by(actor, deps, course_id)
    revoked = None if status is None else status == CertificateStatus.REVOKED
    return queries.of_course(deps.pool, course_id, limit=limit, cursor=cursor, revoked=revoked, assigned_by=assigned_by)
