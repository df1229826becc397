"""Class endpoints: classes, join codes, rosters. Access is checked against the current state
of the class; people outside a class get 404 for it, as if it did not exist."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.classroom.responses import (
    ClassDetails,
    ClassJoined,
    ClassOpened,
    JoinCodeReplaced,
    MyClass,
    RosterEntry,
    StudentInvited,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Page, Recorded
from api.platform.read_position import read_after
from commands.access.classroom_access import ClassRole, class_role, require_teacher
from commands.classroom import classroom
from commands.pipeline import require_login
from domain.errors import NotFound
from projections.classroom import queries as classroom_queries
from projections.classroom.classroom import classroom as classroom_projection

router = APIRouter(prefix="/api/v1", tags=["classroom"])
Limit = Annotated[int, Query(ge=1, le=200)]


@router.post("/classes", response_model=ClassOpened, status_code=201, description="Who: teachers and admins. The caller becomes the class's"
             " teacher; the answer carries the join code.")
def open_class(body: classroom.OpenClass, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(classroom.open_class, body, actor, deps, response)


@router.post("/classes/join", response_model=ClassJoined, description="Who: any logged-in person with a join code. 422 for a wrong or"
             " replaced code, 409 for an archived class, for someone already in it, or removed from it.")
def join_class(body: classroom.JoinClass, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(classroom.join_class, body, actor, deps, response)


@router.get("/me/classes", response_model=Page[MyClass], description="Who: any logged-in person: the classes they teach or attend.")
def my_classes(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None, _: None = read_after([classroom_projection]),
) -> dict[str, Any]:
    user_id = require_login(actor)
    return classroom_queries.classes_of(deps.pool, user_id, limit=limit, cursor=cursor)


@router.get("/classes/{class_id}", response_model=ClassDetails, response_model_exclude_unset=True, description="Who: the class's teacher (with the join code) and its students.")
def class_details(class_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([classroom_projection])) -> dict[str, Any]:
    _, role = class_role(deps, actor, class_id)
    details = classroom_queries.class_details(deps.pool, class_id, with_join_code=role == ClassRole.TEACHER)
    if details is None:
        raise NotFound(f"class {class_id} not found")
    return {**details, "role": role.value}


@router.post("/classes/{class_id}/join-code", response_model=JoinCodeReplaced, description="Who: the class's teacher. A new code; the old one"
             " stops working at once.")
def regenerate_join_code(class_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(classroom.regenerate_join_code, classroom.ClassRef(class_id=class_id), actor, deps, response)


@router.get("/classes/{class_id}/roster", response_model=Page[RosterEntry], description="Who: the class's teacher. Current students.")
def roster(
    class_id: UUID, actor: ActorDep, deps: DepsDep, limit: Limit = 100, cursor: str | None = None,
    _: None = read_after([classroom_projection]),
) -> dict[str, Any]:
    require_teacher(deps, actor, class_id)
    return classroom_queries.roster(deps.pool, class_id, limit=limit, cursor=cursor)


@router.post("/classes/{class_id}/students", response_model=StudentInvited, status_code=201, description="Who: the class's teacher. Enrols a"
             " student named by user_id or e-mail at once.")
def invite(class_id: UUID, body: classroom.StudentRef, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = classroom.InviteStudent(class_id=class_id, **body.model_dump())
    return run(classroom.invite_student, cmd, actor, deps, response)


@router.delete("/classes/{class_id}/students/{student_id}", response_model=Recorded, description="Who: the class's teacher. The student"
               " loses access to the class's lessons and media with their next request.")
def remove_student(class_id: UUID, student_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = classroom.RemoveStudent(class_id=class_id, student_id=student_id)
    return run(classroom.remove_student, cmd, actor, deps, response)


@router.post("/classes/{class_id}/archive", response_model=Recorded, description="Who: the class's teacher. No more joins, invitations or"
             " lesson changes; students keep reading.")
def archive(class_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(classroom.archive_class, classroom.ClassRef(class_id=class_id), actor, deps, response)
