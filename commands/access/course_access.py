"""Who may open the lessons of a course and the files they show, decided from the aggregates
(the course and the caller's enrolment), so leaving a course takes effect with the next request.

Lesson texts and files of the published revision: students enrolled in the course (by
themselves or assigned), its owner, moderators and admins. Files of a revision waiting for
review: the reviewers (moderators and admins).
"""

from __future__ import annotations

from uuid import UUID

from commands.loading import find
from commands.pipeline import Actor, Deps
from domain.catalog import Course, media_ids_of
from domain.enrolment import Enrolment, enrolment_id
from domain.identity import Role
from projections.catalog import course_queries

REVIEWERS = (Role.MODERATOR, Role.ADMIN)  # who reviews a course before publication, and reads it meanwhile


def reads_published_lessons(deps: Deps, actor: Actor, course: Course) -> bool:
    if actor.user_id is None:
        return False
    if actor.user_id == course.owner_id or actor.has_role(*REVIEWERS):
        return True
    enrolment = find(deps, Enrolment, enrolment_id(actor.user_id, course.id))
    return enrolment is not None and enrolment.active


def may_read_media(deps: Deps, actor: Actor, media_id: UUID) -> bool:
    """Whether a course lesson the caller may open right now shows this file. The read model
    only finds candidate courses; the course itself has the last word."""
    for course_id in course_queries.courses_showing_media(deps.pool, media_id):
        course = find(deps, Course, course_id)
        if course is None:
            continue
        if media_id in media_ids_of(course.published) and reads_published_lessons(deps, actor, course):
            return True
        if course.review == "in_review" and media_id in media_ids_of(course.draft) and actor.has_role(*REVIEWERS):
            return True
    return False
