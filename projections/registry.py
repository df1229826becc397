"""Every projection, registered in one place."""

from __future__ import annotations

from domain.errors import NotFound
from projections.ai_content.projection import ai_content
from projections.analytics import progress
from projections.assessment.attempts import attempts
from projections.assessment.question_bank import question_bank
from projections.assessment.question_media import question_media
from projections.assessment.quizzes import quizzes
from projections.catalog.catalog import catalog
from projections.catalog.enrolment import enrolment
from projections.certification.certification import certification
from projections.certification.gradebook import gradebook
from projections.classroom.class_lessons import class_lessons
from projections.classroom.class_progress import class_progress
from projections.classroom.classroom import classroom
from projections.classroom.media import media
from projections.engine.engine import Projection
from projections.forum import forum
from projections.identity.identity import identity
from projections.live.read_model import live
from projections.notification.calendar import calendar
from projections.notification.decisions import notification
from projections.recommendations.signals import recommendations

ALL: list[Projection] = [identity, notification, catalog, enrolment, classroom, class_lessons, class_progress, media,
                         question_bank, quizzes, attempts, certification, gradebook, question_media,
                         recommendations, ai_content, progress, forum, calendar, live]


def by_name(name: str) -> Projection:
    for p in ALL:
        if p.name == name:
            return p
    raise NotFound(f"no projection named {name!r}; known: {', '.join(p.name for p in ALL)}")
