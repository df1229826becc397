"""The FastAPI application factory."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse

from adapters.infrastructure import Infrastructure
from api import audit, class_lessons, class_progress, classroom, identity, media, notification, ops, problems
from api import catalog, categories, course_review, enrolment
from api import schemas
from api import attempts, question_bank, quiz_reports, quizzes
from api import certification, course_certificates, gradebook
from api import category_follows
from api.idempotency import IdempotencyMiddleware, IdempotencyStore
from api.storable_input import refuse_unstorable_input
from commands.pipeline import deps_for


def _default(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError


class ORJSONResponse(JSONResponse):
    """UTC ISO-8601 times, UUIDs as strings."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_default, option=orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC)


def create_app(infra: Infrastructure) -> FastAPI:
    deps = deps_for(infra)
    app = FastAPI(
        title="SkillHub",
        version="0.1.0",
        description="Event-sourced e-learning backend. Every write is an immutable event.",
        default_response_class=ORJSONResponse,
        dependencies=[Depends(refuse_unstorable_input)],  # every route, before its own validation
    )
    app.state.deps = deps
    problems.install(app)
    app.add_middleware(
        IdempotencyMiddleware,
        store=IdempotencyStore.from_settings(infra.pool, infra.settings),
        tokens=deps.tokens,
        streamed_paths=frozenset({media.UPLOAD_PATH}),
    )
    for module in (ops, identity, audit, notification, catalog, categories, course_review, enrolment,
                   classroom, class_lessons, class_progress, media, schemas,
                   question_bank, quizzes, attempts, quiz_reports, certification, course_certificates, gradebook,
                   category_follows):
        app.include_router(module.router)
    return app
