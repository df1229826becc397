"""Analytics reports: one route each, JSON by default, CSV or Parquet with `format`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.analytics import responses
from api.analytics.exports import FILES, FormatQuery, export
from api.platform.auth import ActorDep, DepsDep
from api.platform.read_position import read_after
from commands.analytics.access import (
    require_catalog_analyst,
    require_platform_analyst,
    require_report_reader,
)
from domain.errors import InvalidInput
from projections.analytics import progress, reports
from projections.catalog.catalog import catalog
from projections.classroom.class_lessons import class_lessons
from projections.identity.identity import identity

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])
READ_MODELS = [progress, catalog, class_lessons, identity]
# JSON by default, as its response model says; a CSV or Parquet file is a Response, sent as it is.
SCOPE_WHO = "Who: a course's owner and admins; a class's teacher. 403 for others who can see it, 404 for unknown ids."


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"


PeriodQuery = Annotated[Period, Query(description="day, or week (weeks start on Monday)")]


@router.get("/scopes/{scope_id}/engagement", responses=FILES, response_model=responses.Engagement,
            description=f"{SCOPE_WHO} Active students, lesson views, completions,"
            " results and time spent per day or week.")
def engagement(scope_id: UUID, actor: ActorDep, deps: DepsDep, period: PeriodQuery = Period.DAY,
               since: date | None = None, until: date | None = None, format: FormatQuery = "json",  # noqa: A002
               _: None = read_after(READ_MODELS)) -> Any:
    if since and until and since > until:
        raise InvalidInput("since is after until", fields={"since": "on or before until"})
    kind = require_report_reader(deps, actor, scope_id)
    frame = reports.engagement(deps.pool, scope_id, period, since, until)
    return export(frame, format, f"engagement-{scope_id}", {"scope": kind, "scope_id": scope_id, "period": period})


@router.get("/scopes/{scope_id}/funnel", responses=FILES, response_model=responses.Funnel,
            description=f"{SCOPE_WHO} How many students reached each lesson, quiz and"
            " assessment in order, and the step where most stopped (drop_off).")
def funnel(scope_id: UUID, actor: ActorDep, deps: DepsDep, format: FormatQuery = "json",  # noqa: A002
           _: None = read_after(READ_MODELS)) -> Any:
    kind = require_report_reader(deps, actor, scope_id)
    frame, drop_off = reports.funnel(deps.pool, scope_id, reports.course_steps(deps.pool, scope_id))
    return export(frame, format, f"funnel-{scope_id}", {"scope": kind, "scope_id": scope_id, "drop_off": drop_off})


@router.get("/scopes/{scope_id}/quiz-performance", responses=FILES, response_model=responses.QuizPerformance,
            description=f"{SCOPE_WHO} Per quiz or assessment and period:"
            " submissions, mean and median score, pass rate.")
def quiz_performance(scope_id: UUID, actor: ActorDep, deps: DepsDep, period: PeriodQuery = Period.WEEK,
                     format: FormatQuery = "json", _: None = read_after(READ_MODELS)) -> Any:  # noqa: A002
    kind = require_report_reader(deps, actor, scope_id)
    frame = reports.quiz_performance(deps.pool, scope_id, period)
    return export(frame, format, f"quiz-performance-{scope_id}", {"scope": kind, "scope_id": scope_id, "period": period})


@router.get("/scopes/{scope_id}/at-risk", responses=FILES, response_model=responses.AtRisk,
            description=f"{SCOPE_WHO} Students at risk with the reasons (inactive, failing, behind) and a sentence"
            " saying why, from what was known at `as_of` (default now). JSON lists the first `limit` (`total`: all"
            " of them); CSV and Parquet hold them all.")
def at_risk(scope_id: UUID, actor: ActorDep, deps: DepsDep, as_of: datetime | None = None,
            limit: Annotated[int | None, Query(ge=1, le=10_000)] = None, format: FormatQuery = "json",  # noqa: A002
            _: None = read_after(READ_MODELS)) -> Any:
    if as_of is not None and as_of.tzinfo is None:
        raise InvalidInput("as_of needs a UTC offset", fields={"as_of": "with an offset, e.g. 2026-01-31T00:00:00Z"})
    kind = require_report_reader(deps, actor, scope_id)
    moment = as_of or deps.clock()
    frame = reports.students_at_risk(deps.pool, scope_id, moment)
    if format != "json":
        return export(frame, format, f"at-risk-{scope_id}")
    extra = {"scope": kind, "scope_id": scope_id, "as_of": moment, "total": frame.height}
    return export(frame.head(limit) if limit else frame, format, f"at-risk-{scope_id}", extra)


@router.get("/courses/popularity", responses=FILES, response_model=responses.Popularity,
            description="Who: admins and moderators. Per course: enrolments, still enrolled,"
            " left, completions, completion rate, mean score (SkillHub has no ratings yet).")
def popularity(actor: ActorDep, deps: DepsDep, format: FormatQuery = "json",  # noqa: A002
               _: None = read_after(READ_MODELS)) -> Any:
    require_catalog_analyst(actor)
    return export(reports.popularity(deps.pool), format, "course-popularity")


@router.get("/platform", responses=FILES, response_model=responses.Platform,
            description="Who: admins. Totals (users by role, courses, classes, enrolments, results,"
            " events) and per day over the last `days`: active learners, learning events, results, new enrolments.")
def platform(actor: ActorDep, deps: DepsDep, days: Annotated[int, Query(ge=1, le=3660)] = 30,
             format: FormatQuery = "json", _: None = read_after(READ_MODELS)) -> Any:  # noqa: A002
    require_platform_analyst(actor)
    daily = reports.platform_daily(deps.pool, (deps.clock() - timedelta(days=days)).date())
    extra = {"totals": reports.platform_totals(deps.pool), "days": days} if format == "json" else None
    return export(daily, format, "platform-usage", extra)
