"""Joining a live exam: the attempt is started through the assessment commands (the same rules,
events and grading as any attempt) with the session recorded on it, so every later answer and
the submission are gated by the session's state and the student's own time (commands/live/answers.py)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from commands.assessment import attempts
from commands.assessment import version_shapes
from commands.live.access import require_student
from commands.live.answers import require_answering
from commands.live.channel import seat_of
from commands.live.scheduling import late_join_over
from commands.loading import load
from commands.pipeline import Actor, Deps, Done, retrying_races
from domain.attempts import Attempt
from domain.errors import RuleBroken
from domain.question_views import student_view


class JoinExam(BaseModel):
    session_id: UUID


@retrying_races
def join_exam(cmd: JoinExam, actor: Actor, deps: Deps) -> Done:
    """The student's attempt: started on first join (until the late-join limit), the same one after."""
    session = require_student(deps, actor, cmd.session_id)
    require_answering(deps, session, actor.user_id)
    seat = seat_of(deps, session, actor.user_id)
    if seat.attempt_id is not None:
        attempt = load(deps, Attempt, seat.attempt_id, "attempt")
        questions = version_shapes.questions_of(deps, attempt.quiz_id, attempt.quiz_version)
        shown = [{"question_id": e["question_id"], "points": e["points"],
                  **student_view(questions[e["question_id"]], e["order"])} for e in attempt.layout]
        return Done(0, {"attempt_id": attempt.id, "number": attempt.number, "quiz_version": attempt.quiz_version,
                        "deadline": attempt.deadline, "questions": shown, "answered": sorted(attempt.answers),
                        "ends_at": session.end_for(actor.user_id)})
    if late_join_over(session, deps.clock()):
        raise RuleBroken("the late join time is over")
    if session.rules.get("camera_required"):
        seat.require_camera()
    closed, attempt, data = attempts.new_attempt(deps, actor, session.quiz_id, live_session_id=session.id)
    seat.start_exam(attempt.id, len(data["questions"]))
    position = deps.store.record(*closed, attempt, seat)  # one commit: the attempt and the seat
    return Done(position, {**data, "answered": [], "ends_at": session.end_for(actor.user_id)})
