"""Importing a learning history recorded elsewhere (the OULAD dataset, workers/oulad/): courses
with their assessments, learners with their registrations, and results, each event dated when
it happened (`happened_at`), so progress and analytics show the history as it unfolded.

Admins only. Ids are derived from the source's keys and rows already in the log are skipped, so
an interrupted import is completed by running it again. Each command saves its whole batch in
one `record` (one group commit): thousands of events per round trip."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from pydantic import BaseModel, Field

from commands.number_ranges import Percent
from commands.pipeline import Actor, Deps, Done, acting_as, require_role
from domain.catalog import Course, Level
from domain.course_assessments import AssessmentKind, AssessmentResult, CourseAssessment, assessment_id, result_id
from domain.email_claims import EmailClaim, email_claim_id
from domain.enrolment import Enrolment, enrolment_id
from domain.event_conventions import happened_at
from domain.identity import Role, User

IMPORTS = uuid5(UUID(int=0), "skillhub:history-import")


def imported_id(kind: str, key: str) -> UUID:
    return uuid5(IMPORTS, f"{kind}:{key}")


class ImportedAssessment(BaseModel):
    key: str = Field(max_length=100)
    title: str = Field(max_length=200)
    kind: AssessmentKind
    due_at: datetime | None
    weight: Percent


class ImportCourse(BaseModel):
    key: str = Field(max_length=100)
    title: str = Field(max_length=200)
    summary: str = Field(max_length=1000)
    guide: str = Field(max_length=10_000, description="Markdown of the course's one lesson, its guide")
    owner_id: UUID
    opens_at: datetime  # created and published then
    assessments: list[ImportedAssessment] = Field(max_length=100)


class ImportedLearner(BaseModel):
    key: str = Field(max_length=100)
    email: str = Field(max_length=200)
    display_name: str = Field(max_length=200)
    registered_at: datetime
    unregistered_at: datetime | None


class ImportLearners(BaseModel):
    course_id: UUID
    password_hash: str  # one hash for the whole import: hashing per learner would take hours
    learners: list[ImportedLearner] = Field(max_length=20_000)


class ImportedResult(BaseModel):
    learner_key: str
    assessment_key: str
    score: Percent | None
    submitted_at: datetime
    banked: bool


class ImportResults(BaseModel):
    course_id: UUID
    results: list[ImportedResult] = Field(max_length=50_000)


def _stored(deps: Deps, ids: list[UUID]) -> set[UUID]:
    """Which of these aggregates the log already holds (one query)."""
    with deps.pool.connection() as conn:
        rows = conn.execute("SELECT originator_id FROM skillhub_events WHERE originator_id = ANY(%s)"
                            " AND originator_version = 1", (ids,)).fetchall()
    return {r["originator_id"] for r in rows}


def import_course(cmd: ImportCourse, actor: Actor, deps: Deps) -> Done:
    """The course, published with one lesson (its guide) by the acting admin, and its assessments."""
    admin_id = require_role(actor, [Role.ADMIN])
    course_id = imported_id("course", cmd.key)
    if course_id in _stored(deps, [course_id]):
        return Done(0, {"course_id": course_id, "created": False})
    lesson = {"lesson_id": imported_id("lesson", cmd.key), "title": "Course guide", "content": cmd.guide,
              "media_id": None, "estimated_minutes": 10}
    modules = [{"module_id": imported_id("module", cmd.key), "title": "About this presentation", "lessons": [lesson]}]
    details = {"title": cmd.title, "summary": cmd.summary, "description": cmd.guide, "level": Level.INTERMEDIATE.value,
               "language": "en", "category_ids": [], "tags": ["oulad"], "prerequisites": [], "estimated_minutes": None}
    with happened_at(cmd.opens_at):
        with acting_as(cmd.owner_id):
            course = Course.create(course_id, cmd.owner_id, details, modules)
            course.submit_for_review()
        course.approve(admin_id)
        assessments = [CourseAssessment.define(course_id, a.key, a.title, a.kind, a.due_at, a.weight)
                       for a in cmd.assessments]
    return Done(deps.store.record(course, *assessments), {"course_id": course_id, "created": True})


def import_learners(cmd: ImportLearners, actor: Actor, deps: Deps) -> Done:
    """Accounts (student role, the import's password) for learners new to the log, their
    enrolment at registration and, for those who unregistered, their leaving."""
    require_role(actor, [Role.ADMIN])
    user_ids = {row.key: imported_id("learner", row.key) for row in cmd.learners}
    enrolment_ids = {row.key: enrolment_id(user_ids[row.key], cmd.course_id) for row in cmd.learners}
    stored = _stored(deps, [*user_ids.values(), *enrolment_ids.values()])
    secret = deps.settings.resolved_secret_key()
    aggregates: list[Any] = []
    for row in cmd.learners:
        user_id = user_ids[row.key]
        with acting_as(user_id):
            if user_id not in stored:
                stored.add(user_id)  # a learner listed twice gets one account
                with happened_at(row.registered_at):
                    aggregates += [User.register(user_id, row.email, row.display_name, cmd.password_hash),
                                   EmailClaim.claim(email_claim_id(row.email, secret), user_id)]
            if enrolment_ids[row.key] in stored:
                continue
            with happened_at(row.registered_at):
                enrolment = Enrolment.enrol(user_id, cmd.course_id)
            if row.unregistered_at is not None:
                with happened_at(max(row.unregistered_at, row.registered_at)):
                    enrolment.leave(set())
            aggregates.append(enrolment)
    events = sum(len(a.pending_events) for a in aggregates)
    with deps.keys.batch():  # every new learner's key in one round trip, not four each
        deps.keys.create_keys([a.id for a in aggregates if isinstance(a, User)])
        return Done(deps.store.record(*aggregates), {"events": events})


def import_results(cmd: ImportResults, actor: Actor, deps: Deps) -> Done:
    """Each learner's result for an assessment of the course, dated when it was handed in."""
    admin_id = require_role(actor, [Role.ADMIN])
    assessments: dict[str, CourseAssessment] = {}
    ids = [result_id(assessment_id(cmd.course_id, r.assessment_key), imported_id("learner", r.learner_key))
           for r in cmd.results]
    stored = _stored(deps, ids)
    results = []
    for row, rid in zip(cmd.results, ids, strict=True):
        if rid in stored:
            continue
        if row.assessment_key not in assessments:
            assessments[row.assessment_key] = deps.store.load(assessment_id(cmd.course_id, row.assessment_key))
        with happened_at(row.submitted_at), acting_as(admin_id):
            results.append(AssessmentResult.record(assessments[row.assessment_key], imported_id("learner", row.learner_key),
                                                   row.score, row.submitted_at, row.banked))
        stored.add(rid)
    return Done(deps.store.record(*results), {"events": len(results)})
