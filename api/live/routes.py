"""Live session endpoints: scheduling, running, live exam answers, study questions, the console,
the feed, the calendar. People outside a session get 404 for it; participants who may not do
something get 403 (commands/live/access.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime, BaseModel, create_model

from api.live import responses
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.read_position import read_after
from commands.live import answers, channel, exam, running, scheduling, study
from commands.live.access import LiveRole, live_role, require_examiner
from commands.number_ranges import LogPosition
from commands.pipeline import require_login
from domain.errors import NotFound
from projections.live import queries
from projections.live.read_model import live

router = APIRouter(prefix="/api/v1", tags=["live"])
After = read_after([live])


@router.post("/live-sessions", status_code=201, response_model=responses.Scheduled, description="Who: the class's teacher. Schedules a live exam"
             " (the quiz's category must be live_exams) or a study session.")
def schedule(body: scheduling.ScheduleSession, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(scheduling.schedule, body, actor, deps, response)


@router.get("/live-sessions/{session_id}", response_model=responses.Session,
            description="Who: the session's examiners and students.")
def session(session_id: UUID, actor: ActorDep, deps: DepsDep, _: None = After) -> dict[str, Any]:
    _, role = live_role(deps, actor, session_id)
    found = queries.session(deps.pool, session_id)
    if found is None:  # scheduled a moment ago: ask with min_position
        raise NotFound(f"live session {session_id} not found yet")
    return {**found, "role": role.value}


@router.get("/me/live-sessions", response_model=responses.Calendar, description="Who: anyone logged in: the sessions they examine or attend"
            " (the calendar), from `start` (default now) for `days` days.")
def calendar(actor: ActorDep, deps: DepsDep, start: AwareDatetime | None = None,
             days: Annotated[int, Query(ge=1, le=366)] = 30, _: None = After) -> dict[str, Any]:
    since = start or datetime.now(UTC)
    items = queries.calendar(deps.pool, require_login(actor), since, since + timedelta(days=days))
    return {"items": items}


def _command(path: str, handler: Any, model: type[BaseModel], answer: type[BaseModel], who: str,
             status: int = 200) -> None:
    """A POST route running `handler` with the command made of the path's session id and the body."""
    fields = {n: (f.annotation, f) for n, f in model.model_fields.items() if n != "session_id"}
    body_model = create_model(f"{model.__name__}Body", **fields)

    def route(session_id: UUID, actor: ActorDep, deps: DepsDep, response: Response,
              body: Any = None) -> dict[str, Any]:
        values = body.model_dump() if body is not None else {}
        return run(handler, model(session_id=session_id, **values), actor, deps, response)

    # Annotations are strings here (postponed); the body's model is made above, so it is set as a class.
    route.__annotations__["body"] = body_model if fields else body_model | None
    router.add_api_route(f"/live-sessions/{{session_id}}{path}", route, methods=["POST"], status_code=status,
                         response_model=answer,
                         description=f"Who: {who}", name=handler.__name__)


_command("/reschedule", scheduling.reschedule, scheduling.Reschedule, responses.Recorded,
         "the examiners, before it opens. Body:"
         " starts_at, duration_seconds, reason.")
_command("/cancellation", scheduling.cancel, scheduling.Cancel, responses.Recorded,
         "the examiners, before it opens. Body: reason.")
_command("/pause", running.pause, running.WithReason, responses.Recorded,
         "the examiners, while open. Body: reason.")
_command("/resume", running.resume, running.SessionRef, responses.Ends,
         "the examiners, while paused; the end moves by the pause.")
_command("/end", running.end_early, running.WithReason, responses.Ended,
         "the examiners. Ends now for everyone (reason required);"
         " open attempts are submitted with what they hold.")
_command("/extra-time", running.give_extra_time, running.ExtraTime, responses.Ends,
         "the examiners. Body: student_id, seconds,"
         " reason; adds to the student's time.")
_command("/camera-waiver", running.waive_camera, running.CameraWaiver, responses.CameraWaived,
         "the examiners of a camera-required session. Body: student_id, reason; that student may start"
         " without a camera.")
_command("/exam", exam.join_exam, exam.JoinExam, responses.ExamJoined,
         "the session's students, while the exam runs: starts their"
         " attempt (until the late-join limit) or gives it back.")
_command("/messages", channel.say, channel.Say, responses.MessagePosted,
         "participants: chat, hand, or (examiners) announcement; the"
         " same rules as on the socket.", 201)
_command("/questions", study.push_question, study.PushQuestion, responses.Recorded,
         "the examiners of a study session. Body:"
         " question_id of the session's quiz.")
_command("/reveal", study.reveal, study.PushQuestion, responses.Revealed,
         "the examiners of a study session. Body: question_id;"
         " everyone sees the distribution and the key.")


@router.put("/live-sessions/{session_id}/answers/{question_id}", response_model=responses.ExamAnswered,
            response_model_exclude_unset=True, description="Who: the session's students,"
            " while the exam runs and their time lasts. Graded at once; the review comes back when the rules"
            " say feedback during.")
def answer(session_id: UUID, question_id: UUID, body: dict[str, Any], actor: ActorDep, deps: DepsDep,
           response: Response) -> dict[str, Any]:
    cmd = answers.LiveAnswer(session_id=session_id, question_id=question_id, answer=body.get("answer", body))
    return run(answers.answer, cmd, actor, deps, response)


@router.put("/live-sessions/{session_id}/study-answers/{question_id}", response_model=responses.StudyAnswered,
            description="Who: the session's"
            " students, for the question pushed and not yet revealed; one answer each.")
def study_answer(session_id: UUID, question_id: UUID, body: dict[str, Any], actor: ActorDep, deps: DepsDep,
                 response: Response) -> dict[str, Any]:
    cmd = study.StudyAnswer(session_id=session_id, question_id=question_id, answer=body.get("answer", body))
    return run(study.answer, cmd, actor, deps, response)


@router.get("/live-sessions/{session_id}/console", response_model=responses.Console, description="Who: the examiners. Each seat's connection,"
            " drops, progress, score so far and integrity signals.")
def console(session_id: UUID, actor: ActorDep, deps: DepsDep, _: None = After) -> dict[str, Any]:
    session_ = require_examiner(deps, actor, session_id)
    return {"status": queries.session(deps.pool, session_id)["status"], "extra_time": session_.extra,
            "seats": queries.console(deps.pool, session_id)}


@router.get("/live-sessions/{session_id}/feed", response_model=responses.Feed, description="Who: participants. What they may see after"
            " `after` (a log position), for clients without a socket.")
def feed(session_id: UUID, actor: ActorDep, deps: DepsDep, after: LogPosition = 0, _: None = After) -> dict[str, Any]:
    _, role = live_role(deps, actor, session_id)
    rows = queries.feed_after(deps.pool, session_id, actor.user_id, role == LiveRole.EXAMINER, after, 2**63 - 1)
    return {"items": rows}
