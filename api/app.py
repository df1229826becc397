"""The FastAPI application factory."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import orjson
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from adapters.infrastructure import Infrastructure
from api import forum
from api.ai import content as ai_content
from api.ai import drafts as ai_drafts
from api.ai import recommendations as ai_recommendations
from api.analytics import progress as analytics_progress
from api.analytics import reports as analytics_reports
from api.assessment import attempts, question_bank, quiz_reports, quizzes
from api.catalog import (
    catalog,
    categories,
    category_follows,
    course_certificates,
    course_review,
    enrolment,
)
from api.certification import certification, gradebook
from api.classroom import class_lessons, class_progress, classroom, media
from api.dashboards import data as dashboard_data
from api.dashboards import pages as dashboard_pages
from api.identity import identity
from api.learner import mastery as learner_mastery
from api.learner import skills as learner_skills
from api.live import wiring as live_wiring
from api.notification import communication, notification
from api.platform import audit, ops, pages, problem_statuses, problems, schemas
from api.platform.access import gate as access_gate
from api.platform.idempotency import IdempotencyMiddleware, IdempotencyStore
from api.platform.security_headers import SecurityHeadersMiddleware
from api.platform.storable_input import refuse_unstorable_input
from commands.pipeline import deps_for
from projections.engine.log_reader import LogReader, reader_of_its_own


def _default(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError


_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC
_INT64 = range(-(2**63), 2**63)


def _readable(value: Any) -> Any:
    """Numbers JSON readers agree on: -0.0 as 0.0, and integers past 64 bits (JSONB hands back a
    stored 1e20 as one) as floats. Commands refuse such values; this keeps older ones readable."""
    if isinstance(value, float):
        return value + 0.0
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        return float(value)
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_readable(v) for v in value]
    return value


class ORJSONResponse(JSONResponse):
    """UTC ISO-8601 times, UUIDs as strings; a read never fails on a stored number."""

    def render(self, content: Any) -> bytes:
        try:
            body = orjson.dumps(content, default=_default, option=_OPTIONS)
        except TypeError:  # an integer past 64 bits; anything else fails again below
            return orjson.dumps(_readable(content), default=_default, option=_OPTIONS)
        # The search runs in C; only a body that may hold -0.0 is walked.
        return orjson.dumps(_readable(content), default=_default, option=_OPTIONS) if b"-0.0" in body else body


def create_app(infra: Infrastructure, reader: LogReader | None = None) -> FastAPI:
    """`reader`: the process's log reader when workers run beside the API; else the app reads
    the log itself, for the session cache (commands/identity/session_cache.py)."""
    deps = deps_for(infra)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        with reader_of_its_own(reader, infra.database_url, infra.pool, infra.store, stop, "api") as log_reader:
            follower = threading.Thread(target=deps.sessions.follow, args=(log_reader, stop), daemon=True,
                                        name="session-cache")
            follower.start()
            live_hub = live_wiring.start_hub(app, stop)
            try:
                yield
            finally:
                stop.set()
                follower.join(5)
                live_hub.join(5)

    app = FastAPI(
        lifespan=lifespan,
        title="SkillHub",
        version="0.1.0",
        description="Event-sourced e-learning backend. Every write is an immutable event.",
        default_response_class=ORJSONResponse,
        docs_url=None,  # api.platform.pages serves /docs from its own copy of Swagger UI (FastAPI's loads a CDN)
        redoc_url=None,
        # Every route, before its own validation: storable text, then the access table's gate.
        dependencies=[Depends(refuse_unstorable_input), Depends(access_gate.admit)],
    )
    app.state.deps = deps
    problems.install(app)
    app.add_middleware(
        IdempotencyMiddleware,
        store=IdempotencyStore.from_settings(infra.pool, infra.settings),
        deps=deps,
        streamed_paths=frozenset({media.UPLOAD_PATH, forum.attachments.ATTACHMENT_PATH}),
    )
    if infra.settings.trusted_proxies:
        # The client address (throttling, sessions) comes from X-Forwarded-For only behind these.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=infra.settings.trusted_proxies)
    app.add_middleware(SecurityHeadersMiddleware)  # added last: outermost, so every answer has them
    pages.mount_static(app)
    app.include_router(pages.router)
    app.include_router(dashboard_pages.router)
    for module in (ops, identity, audit, notification, catalog, categories, course_review, enrolment,
                   classroom, class_lessons, class_progress, media, schemas,
                   question_bank, quizzes, attempts, quiz_reports, certification, course_certificates, gradebook,
                   category_follows, learner_mastery, learner_skills, ai_recommendations, ai_content, ai_drafts,
                   analytics_progress, analytics_reports, dashboard_data, communication):
        app.include_router(module.router)
    for router in forum.ROUTERS:
        app.include_router(router)
    live_wiring.install(app, infra)
    access_gate.check_covers(app)  # an operation without a declared policy does not start
    problem_statuses.declare(app)  # after every route: it reads them all
    return app
