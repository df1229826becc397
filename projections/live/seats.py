"""Live read model, the seats: connections and drops, the exam's progress and score as each
answer is graded, study answers and integrity signals; chat into the feed; erasure."""

from __future__ import annotations

import psycopg

from domain.event_conventions import ERASED
from domain.identity import User
from domain.live.messages import LiveMessage
from domain.live.seats import LiveSeat
from projections.live.sessions import to_feed, live

_SEAT = "INSERT INTO seats (session_id, person_id) VALUES (%s, %s) ON CONFLICT DO NOTHING"


@live.on
def seat_taken(cur: psycopg.Cursor, e: LiveSeat.Taken) -> None:
    cur.execute(_SEAT, (e.session_id, e.person_id))


@live.on
def connected(cur: psycopg.Cursor, e: LiveSeat.Connected) -> None:
    cur.execute("UPDATE seats SET connections = connections + 1, last_connected_at = %s"
                " WHERE session_id = %s AND person_id = %s", (e.at, e.session_id, e.person_id))
    to_feed(cur, e)


@live.on
def dropped(cur: psycopg.Cursor, e: LiveSeat.Dropped) -> None:
    cur.execute("UPDATE seats SET connections = greatest(connections - 1, 0), drops = drops + 1,"
                " last_dropped_at = %s WHERE session_id = %s AND person_id = %s", (e.at, e.session_id, e.person_id))
    to_feed(cur, e)


@live.on
def exam_started(cur: psycopg.Cursor, e: LiveSeat.ExamStarted) -> None:
    cur.execute("UPDATE seats SET attempt_id = %s, questions = %s WHERE session_id = %s AND person_id = %s",
                (e.attempt_id, e.questions, e.session_id, e.person_id))
    to_feed(cur, e)


@live.on
def graded(cur: psycopg.Cursor, e: LiveSeat.AnswerGraded) -> None:
    cur.execute(
        "INSERT INTO answers (session_id, person_id, question_id, points, max, state, at) VALUES (%s, %s, %s, %s, %s,"
        " %s, %s) ON CONFLICT (session_id, person_id, question_id) DO UPDATE SET points = EXCLUDED.points,"
        " max = EXCLUDED.max, state = EXCLUDED.state, at = EXCLUDED.at",
        (e.session_id, e.person_id, e.question_id, e.grade["points"], e.grade["max"], e.grade["state"], e.at))
    to_feed(cur, e)


@live.on
def study_answered(cur: psycopg.Cursor, e: LiveSeat.StudyAnswered) -> None:
    cur.execute("INSERT INTO study_answers (session_id, question_id, person_id, choice, state) VALUES (%s, %s, %s,"
                " %s, %s) ON CONFLICT DO NOTHING", (e.session_id, e.question_id, e.person_id, e.choice, e.state))
    to_feed(cur, e)


@live.on
def integrity(cur: psycopg.Cursor, e: LiveSeat.IntegritySignal) -> None:
    camera = {"camera_on": True, "camera_off": False}.get(e.kind)
    cur.execute("UPDATE seats SET signals = signals + 1, camera = CASE WHEN %s THEN %s ELSE camera END"
                " WHERE session_id = %s AND person_id = %s", (camera is not None, camera, e.session_id, e.person_id))
    to_feed(cur, e)


@live.on
def camera_waived(cur: psycopg.Cursor, e: LiveSeat.CameraWaived) -> None:
    cur.execute("UPDATE seats SET camera_waived = %s WHERE session_id = %s AND person_id = %s",
                (e.reason, e.session_id, e.person_id))
    to_feed(cur, e)


@live.on
def posted(cur: psycopg.Cursor, e: LiveMessage.Posted) -> None:
    to_feed(cur, e)


@live.on
def erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    """Chat is its sender's words: they go with the sender."""
    cur.execute("UPDATE feed SET body = jsonb_set(body, '{text}', to_jsonb(%s::text)) WHERE sender_id = %s",
                (ERASED, e.originator_id))
