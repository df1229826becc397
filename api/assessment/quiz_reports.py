"""Quiz results and reports: each student's counted score, the score distribution and item
analysis, who has not attempted yet; results and items also as CSV."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.assessment.responses.reports import NotAttempted, QuizResults, QuizStatistics
from api.platform.auth import ActorDep, DepsDep
from api.platform.media_types import CSV, answers
from api.platform.read_position import read_after
from commands.access.assessment_access import members_of
from commands.assessment.quizzes import require_quiz_reader
from projections.assessment import quiz_reports, quiz_statistics
from projections.assessment.attempts import attempts
from projections.assessment.quizzes import quizzes

router = APIRouter(prefix="/api/v1", tags=["assessment"])
Format = Annotated[Literal["json", "csv"], Query(description="json, or csv for a spreadsheet")]
Table = Annotated[Literal["items", "distribution"], Query(description=(
    "with format=csv: items (one row per question, with distractor counts) or distribution (the score"
    " distribution's bins and summary, Cronbach's alpha)"))]
_WHO = "Who: the quiz's teacher or course owner, admins and auditors."


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@router.get("/quizzes/{quiz_id}/results", response_model=QuizResults, responses=answers(CSV), description=(
    f"{_WHO} Per student: attempts, the counted one (best or last, as the quiz says), score, percent, passed."))
def results(quiz_id: UUID, actor: ActorDep, deps: DepsDep, format: Format = "json",  # noqa: A002
            _: None = read_after([quizzes, attempts])) -> dict[str, Any] | Response:
    require_quiz_reader(deps, actor, quiz_id)
    report = quiz_reports.results(deps.pool, quiz_id)
    return _csv(quiz_reports.results_csv(report), f"results-{quiz_id}") if format == "csv" else report


@router.get("/quizzes/{quiz_id}/statistics", response_model=QuizStatistics, responses=answers(CSV), description=(
    f"{_WHO} Score distribution, Cronbach's alpha and per question difficulty (mean share earned),"
    " discrimination (point-biserial with the rest of the test) and distractor counts, over each student's"
    " counted attempt. CSV: the items with their distractor counts, or with table=distribution the distribution"
    " and alpha."))
def statistics(quiz_id: UUID, actor: ActorDep, deps: DepsDep, format: Format = "json",  # noqa: A002
               table: Table = "items", _: None = read_after([quizzes, attempts])) -> dict[str, Any] | Response:
    require_quiz_reader(deps, actor, quiz_id)
    report = quiz_statistics.statistics(deps.pool, quiz_id)
    if format == "json":
        return report
    if table == "distribution":
        return _csv(quiz_reports.distribution_csv(report), f"distribution-{quiz_id}")
    return _csv(quiz_reports.items_csv(report), f"items-{quiz_id}")


@router.get("/quizzes/{quiz_id}/non-attempts", response_model=list[NotAttempted], responses=answers(CSV), description=(
    f"{_WHO} Students of the class (or enrolled in the course) without a submitted attempt: not_started or"
    " in_progress; also as CSV."))
def non_attempts(quiz_id: UUID, actor: ActorDep, deps: DepsDep, format: Format = "json",  # noqa: A002
                 _: None = read_after([quizzes, attempts])) -> list[dict[str, Any]] | Response:
    quiz = require_quiz_reader(deps, actor, quiz_id)
    rows = quiz_reports.not_attempted(deps.pool, quiz_id, members_of(deps, quiz.audience, quiz.audience_id))
    return _csv(quiz_reports.not_attempted_csv(rows), f"non-attempts-{quiz_id}") if format == "csv" else rows
