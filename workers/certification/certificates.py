"""Issues certificates automatically: whenever a student meets their course's completion rules,
records one Certificate.Issued.

It follows the log with a position of its own (table `certificate_issuer`): each round reads the
next batch of the events that can make someone due (workers/certification/certificate_candidates.py), waits
until the certification and gradebook read models have applied them, and re-evaluates only the
(course, student) pairs those events touched. A student whose missing grade waits for a quiz's
feedback release (an after_close quiz) is checked again at that moment (`certificate_rechecks`),
since a release is the passing of time, not an event. Grades are the student's own view: a
certificate never reveals a score before the student may see it.

Exactly once: the certificate id is derived from (student, course), so a repeated or concurrent
round (a second worker, a restart before the position was saved) finds the certificate or loses
the version-1 race and records nothing; a revoked certificate is never issued again. It wakes on
the store's notifications (workers/event_rounds.py), like the projection runners, not by busy polling.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE
from adapters.infrastructure import Infrastructure
from commands.certification.certification import IssueCertificate, issue_certificate
from commands.pipeline import SYSTEM, Deps, deps_for, execute
from domain.certification import unmet
from domain.errors import SkillhubError
from domain.event_conventions import topics_of
from projections.certification import gradebook_queries
from projections.certification import queries as certification_queries
from projections.certification.certification import certification
from projections.certification.gradebook import gradebook
from projections.engine.log_reader import LogReader
from projections.engine.tracking import NotCaughtUp, wait_for_position
from workers.certification.certificate_candidates import WATCHED, touched
from workers.event_rounds import EventRounds

if TYPE_CHECKING:
    from workers.supervision import Workers

log = logging.getLogger(__name__)
BATCH_SIZE = 500
_TOPICS = [topic for cls in WATCHED for topic in topics_of(cls)]  # former topics too
_DDL = ("CREATE TABLE IF NOT EXISTS certificate_issuer (one boolean PRIMARY KEY DEFAULT true CHECK (one),"
        " position bigint NOT NULL DEFAULT 0)",
        "INSERT INTO certificate_issuer DEFAULT VALUES ON CONFLICT DO NOTHING",
        "CREATE TABLE IF NOT EXISTS certificate_rechecks (course_id uuid NOT NULL, student_id uuid NOT NULL,"
        " at timestamptz NOT NULL, PRIMARY KEY (course_id, student_id))")
_NEXT = sql.SQL(
    "SELECT h.head, e.* FROM (SELECT coalesce(max(notification_id), 0) AS head FROM public.{t}) h"
    " LEFT JOIN LATERAL (SELECT notification_id, originator_id, originator_version, topic, state FROM public.{t}"
    "  WHERE notification_id > %s AND topic = ANY(%s) ORDER BY notification_id LIMIT %s) e ON true"
).format(t=sql.Identifier(EVENTS_TABLE))
_ready: set[int] = set()


def _tables(pool: ConnectionPool) -> None:
    if id(pool) not in _ready:
        with pool.connection() as conn:
            for ddl in _DDL:
                conn.execute(ddl)
        _ready.add(id(pool))


def _recheck_at(deps: Deps, course_id: UUID, student_id: UUID, at: str | None) -> None:
    with deps.pool.connection() as conn:
        if at is None:
            conn.execute("DELETE FROM certificate_rechecks WHERE course_id = %s AND student_id = %s",
                         (course_id, student_id))
        else:
            conn.execute("INSERT INTO certificate_rechecks VALUES (%s, %s, %s) ON CONFLICT (course_id, student_id)"
                         " DO UPDATE SET at = EXCLUDED.at", (course_id, student_id, at))


def evaluate(deps: Deps, course_id: UUID, student_id: UUID, now: datetime) -> bool:
    """Issue the certificate if the student now meets the course's rules; True if recorded.
    Still unmet with a score awaiting its release: checked again at the earliest release."""
    facts = certification_queries.completion_facts(deps.pool, course_id, student_id)
    if facts is None or facts["certified"]:
        _recheck_at(deps, course_id, student_id, None)
        return False
    rules = certification_queries.rules_of(deps.pool, course_id) or certification_queries.DEFAULT_RULES
    grades = gradebook_queries.student_grades(deps.pool, course_id, student_id, now=now)
    passed = {s["item_id"] for s in grades["scores"] if s["passed"]}
    if unmet(rules, {**facts, "passed_quiz_ids": passed, "grade": grades["percent"]}):
        releases = [p["released_at"] for p in grades["pending_release"] if p["released_at"]]
        _recheck_at(deps, course_id, student_id, min(releases) if releases else None)
        return False
    cmd = IssueCertificate(student_id=student_id, course_id=course_id, grade=grades["percent"])
    try:
        issued = bool(execute(issue_certificate, cmd, SYSTEM, deps).data["issued"])
    except SkillhubError as e:  # a concurrent round won the race, or the course vanished
        log.info("certificate for %s in %s not issued: %s", student_id, course_id, e.detail)
        return False
    _recheck_at(deps, course_id, student_id, None)
    return issued


def _next_batch(deps: Deps) -> tuple[list[Any], int, bool]:
    """The next watched events after the position, the position after them, and whether more follow."""
    with deps.pool.connection() as conn:
        position = conn.execute("SELECT position FROM certificate_issuer").fetchone()["position"]
        rows = conn.execute(_NEXT, (position, _TOPICS, BATCH_SIZE)).fetchall()
    found = [r for r in rows if r["notification_id"] is not None]
    full = len(found) == BATCH_SIZE
    # A short batch saw everything up to the head, matching or not.
    end = found[-1]["notification_id"] if full else max(rows[0]["head"], position)
    return deps.store.decode_many(found), end, full


def _due_rechecks(deps: Deps, now: datetime) -> set[tuple[UUID, UUID]]:
    """Kept until evaluated: a round that stops half-way leaves them for the next."""
    with deps.pool.connection() as conn:
        rows = conn.execute("SELECT course_id, student_id FROM certificate_rechecks WHERE at <= %s", (now,)).fetchall()
    return {(r["course_id"], r["student_id"]) for r in rows}


def issue_due(deps: Deps, wait_seconds: float = 10.0) -> int:
    """Rounds until caught up with the log, then the re-checks now due. Returns how many
    certificates were recorded."""
    _tables(deps.pool)
    issued, more = 0, True
    while more:
        events, end, more = _next_batch(deps)
        try:
            wait_for_position(deps.pool, [certification, gradebook], end, wait_seconds)
        except NotCaughtUp:
            log.info("certificates: read models behind position %s; next round", end)
            return issued
        now = deps.clock()
        issued += sum(evaluate(deps, c, s, now) for c, s in sorted(touched(deps.pool, events)))
        with deps.pool.connection() as conn:
            conn.execute("UPDATE certificate_issuer SET position = greatest(position, %s)", (end,))
    now = deps.clock()
    return issued + sum(evaluate(deps, c, s, now) for c, s in sorted(_due_rechecks(deps, now)))


def certificate_issuer(deps: Deps, database_url: str, reader: LogReader | None = None,
                       idle_timeout: float = 5.0) -> EventRounds:
    """Rounds after every watched event, and at least every idle_timeout seconds, which also
    paces the re-checks."""
    return EventRounds("certificates", lambda: issue_due(deps), _TOPICS, reader, database_url, deps.pool,
                       deps.store, idle_timeout)


def start(infra: Infrastructure, workers: Workers) -> None:
    workers.spawn("certificates", certificate_issuer(deps_for(infra), infra.database_url, workers.log_reader(infra)).run)
