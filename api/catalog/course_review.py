"""Course review endpoints: submit, decide, archive; the review queue and authors' courses."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from api.catalog.responses.courses import CourseSummary, RevisionChanged
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Page, Recorded
from api.platform.read_position import read_after
from commands.catalog import course_review
from commands.pipeline import require_login, require_role
from projections.catalog import course_queries
from projections.catalog.catalog import catalog

router = APIRouter(prefix="/api/v1", tags=["catalog"])
Limit = Annotated[int, Query(ge=1, le=100)]


class Decision(BaseModel):
    approve: bool
    reason: str = Field(default="", max_length=2000, description="required when sending back")


@router.post("/courses/{course_id}/submission", response_model=RevisionChanged, description="Who: the owner. Puts the working revision in review.")
def submit(course_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(course_review.submit_for_review, course_review.CourseRef(course_id=course_id), actor, deps, response)


@router.post("/courses/{course_id}/review", response_model=Recorded, description=(
    "Who: moderators and admins, not on their own courses. Approving publishes the revision;"
    " otherwise it goes back to the owner with the reason."))
def decide(course_id: UUID, body: Decision, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = course_review.DecideReview(course_id=course_id, **body.model_dump())
    return run(course_review.decide_review, cmd, actor, deps, response)


@router.post("/courses/{course_id}/archive", response_model=Recorded, description=(
    "Who: the owner, moderators and admins. The course leaves the catalog and takes no new"
    " students; enrolled students keep it."))
def archive(course_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(course_review.archive_course, course_review.CourseRef(course_id=course_id), actor, deps, response)


@router.get("/course-reviews", response_model=Page[CourseSummary], description="Who: moderators and admins. Revisions waiting for review, oldest first.")
def review_queue(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None, _: None = read_after([catalog])
) -> dict[str, Any]:
    require_role(actor, course_review.REVIEWERS)
    return course_queries.review_queue(deps.pool, limit=limit, cursor=cursor)


@router.get("/me/authored-courses", response_model=Page[CourseSummary], description="Who: any logged-in person. The courses they own, drafts included.")
def authored_courses(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None, _: None = read_after([catalog])
) -> dict[str, Any]:
    owner_id = require_login(actor)
    return course_queries.authored_courses(deps.pool, owner_id, limit=limit, cursor=cursor)
