"""Opens and closes live sessions on time and sends their reminders, on APScheduler.

The jobs are derived from the live read model (view_live.sessions) at start and every few
seconds: a reminder before the start (SKILLHUB_LIVE_REMINDER_LEAD_SECONDS), the opening at the
start, the close at the end (with pauses and the longest extra time). The scheduler keeps no
state of its own, so after a restart the same jobs come back from the read model and a session
running meanwhile is closed when its time is up, as if nothing happened. Each job runs a
command as the system that checks the session's current state and does nothing if the moment
has not come or has passed (a moved start, a second scheduler), so a job run twice is harmless.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from adapters.infrastructure import Infrastructure
from commands.live.running import SessionRef, close_on_time, open_on_time, remind
from commands.pipeline import SYSTEM, Deps, deps_for, execute
from domain.errors import SkillhubError
from projections.live import queries

if TYPE_CHECKING:
    from workers.supervision import Workers

log = logging.getLogger(__name__)
JOB_PREFIX = "live-"


def plan(sessions: list[dict[str, Any]], now: datetime, lead: timedelta) -> dict[str, tuple[str, UUID, datetime]]:
    """Job id -> (what, session, when): never in the past, so a missed moment runs at once."""
    jobs = {}
    for s in sessions:
        sid, status = s["session_id"], s["status"]
        if status == "scheduled":
            if s["reminded_for"] != s["starts_at"] and s["starts_at"] - lead > now - timedelta(hours=1):
                jobs[f"{JOB_PREFIX}remind-{sid}-{s['starts_at'].isoformat()}"] = ("remind", sid, s["starts_at"] - lead)
            jobs[f"{JOB_PREFIX}open-{sid}-{s['starts_at'].isoformat()}"] = ("open", sid, s["starts_at"])
        elif status == "open":
            jobs[f"{JOB_PREFIX}close-{sid}-{s['closes_at'].isoformat()}"] = ("close", sid, s["closes_at"])
    return {job_id: (what, sid, max(when, now)) for job_id, (what, sid, when) in jobs.items()}


class LiveSessionScheduler:
    def __init__(self, deps: Deps, resync_seconds: float = 5.0) -> None:
        self.deps, self.resync_seconds = deps, resync_seconds
        self.scheduler = BackgroundScheduler(timezone=UTC)
        self.actions: dict[str, Callable[..., Any]] = {"remind": remind, "open": open_on_time, "close": close_on_time}

    def run(self, stop: threading.Event) -> None:
        self.sync()
        # Its id is not under JOB_PREFIX, so sync() never removes it.
        self.scheduler.add_job(self.sync, IntervalTrigger(seconds=self.resync_seconds), id="sync-live-sessions")
        self.scheduler.start()
        stop.wait()
        self.scheduler.shutdown(wait=False)

    def sync(self) -> None:
        """Make the jobs match the read model."""
        lead = timedelta(seconds=self.deps.settings.live_reminder_lead_seconds)
        wanted = plan(queries.pending_sessions(self.deps.pool), datetime.now(UTC), lead)
        for job in self.scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                job.remove()
        for job_id, (what, session_id, when) in wanted.items():
            if self.scheduler.get_job(job_id) is None:
                self.scheduler.add_job(self.act, DateTrigger(run_date=when), args=[what, session_id], id=job_id,
                                       misfire_grace_time=None, coalesce=True)

    def act(self, what: str, session_id: UUID) -> dict[str, Any]:
        try:
            done = execute(self.actions[what], SessionRef(session_id=session_id), SYSTEM, self.deps)
        except SkillhubError as e:  # e.g. an examiner ended it at the same moment
            log.info("live session %s: %s not done: %s", session_id, what, e.detail)
            return {}
        log.info("live session %s: %s %s", session_id, what, done.data)
        return done.data


def start(infra: Infrastructure, workers: Workers) -> None:
    workers.spawn("live-sessions", LiveSessionScheduler(deps_for(infra)).run)
