"""Every projection, registered in one place."""

from __future__ import annotations

from domain.errors import NotFound
from projections.catalog import catalog
from projections.class_lessons import class_lessons
from projections.class_progress import class_progress
from projections.classroom import classroom
from projections.engine import Projection
from projections.enrolment import enrolment
from projections.identity import identity
from projections.media import media
from projections.notification import notification
from projections.question_bank import question_bank
from projections.question_media import question_media
from projections.quizzes import quizzes
from projections.attempts import attempts
from projections.certification import certification
from projections.gradebook import gradebook
from projections.live.read_model import live

ALL: list[Projection] = [identity, notification, catalog, enrolment, classroom, class_lessons, class_progress, media,
                         question_bank, quizzes, attempts, certification, gradebook, question_media,
                         live]


def by_name(name: str) -> Projection:
    for p in ALL:
        if p.name == name:
            return p
    raise NotFound(f"no projection named {name!r}; known: {', '.join(p.name for p in ALL)}")
