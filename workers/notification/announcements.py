"""Timed notices on APScheduler: announces, when their moment comes, a class lesson scheduled
for later, a quiz opening soon (SKILLHUB_NOTIFY_QUIZ_OPENING_LEAD_SECONDS before opens_at; at
once when published inside that window) and the results of a quiz shown after its close.

One date job per pending notice of the notification read model (view_notification.
timed_notices), derived at start, again whenever the projection announces a change (NOTIFY
skillhub_timed, so a notice due at once goes out at once) and every half minute; the scheduler
keeps no state of its own. A job runs commands.notification.announcements.announce as the system, which
records the Announcement the notification rules fire on. Several of these workers may run:
the announcement's id is derived from what it announces, so only one is ever recorded.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import psycopg
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from psycopg import sql

from adapters.infrastructure import Infrastructure
from commands.notification.announcements import Announce, announce, quiz_opening_lead
from commands.pipeline import SYSTEM, Deps, deps_for, execute
from domain.announcements import AnnouncementKind
from domain.errors import SkillhubError
from domain.notification import MAX_EVENT_AGE
from projections.notification.queries import pending_timed_notices
from projections.notification.timed import TIMED_CHANNEL

if TYPE_CHECKING:
    from workers.supervision import Workers

log = logging.getLogger(__name__)
JOB_PREFIX = "announce-"


def job_id(kind: str, subject_id: UUID, moment: datetime) -> str:
    return f"{JOB_PREFIX}{kind}-{subject_id}-{moment.astimezone(UTC).isoformat()}"


def plan(notices: list[dict[str, Any]], now: datetime, lead: timedelta) -> dict[str, tuple[datetime, dict[str, Any]]]:
    """Each pending notice's job: when it runs (never in the past) and what it announces."""
    jobs = {}
    for n in notices:
        due = n["moment"] - lead if n["kind"] == AnnouncementKind.QUIZ_OPENING else n["moment"]
        jobs[job_id(n["kind"], n["subject_id"], n["moment"])] = (max(due, now), n)
    return jobs


class AnnouncementScheduler:
    def __init__(self, deps: Deps, database_url: str, resync_seconds: float = 30.0) -> None:
        self.deps, self.database_url, self.resync_seconds = deps, database_url, resync_seconds
        self.scheduler = BackgroundScheduler(timezone=UTC)
        # Jobs run in this process: one refused (moved, withdrawn) is not tried again until the
        # read model changes it (a new moment is a new job) or the worker restarts.
        self.tried: set[str] = set()

    def run(self, stop: threading.Event) -> None:
        self.scheduler.start()
        try:
            while not stop.is_set():
                try:
                    self._follow(stop)
                except psycopg.Error as e:
                    log.warning("announcements: database error (%s); again in 5 s", e)
                    stop.wait(5)
        finally:
            self.scheduler.shutdown(wait=False)

    def _follow(self, stop: threading.Event) -> None:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(TIMED_CHANNEL)))
            next_sync = 0.0
            while not stop.is_set():
                if time.monotonic() >= next_sync:
                    self.sync()
                    next_sync = time.monotonic() + self.resync_seconds
                for _ in conn.notifies(timeout=1.0, stop_after=1):
                    next_sync = 0.0

    def sync(self) -> None:
        """Make the jobs match the pending notices of the read model."""
        now = datetime.now(UTC)
        wanted = plan(pending_timed_notices(self.deps.pool, now - MAX_EVENT_AGE), now, quiz_opening_lead(self.deps))
        for job in self.scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                job.remove()
        for key, (run_at, n) in wanted.items():
            if key not in self.tried and self.scheduler.get_job(key) is None:
                self.scheduler.add_job(self.announce, DateTrigger(run_date=run_at), id=key, coalesce=True,
                                       misfire_grace_time=None, args=[n["kind"], n["subject_id"], n["moment"]])

    def announce(self, kind: str, subject_id: UUID, moment: datetime) -> bool:
        key = job_id(kind, subject_id, moment)
        self.tried.add(key)
        cmd = Announce(kind=AnnouncementKind(kind), subject_id=subject_id, moment=moment)
        try:
            done = execute(announce, cmd, SYSTEM, self.deps)
        except SkillhubError as e:
            log.info("announcement %s not made: %s", key, e.detail)
            return False
        except Exception:
            self.tried.discard(key)  # e.g. the database was away: the next sync tries again
            raise
        if done.data["announced"]:
            log.info("announced %s", key)
        return done.data["announced"]


def start(infra: Infrastructure, workers: Workers) -> None:
    workers.spawn("announcements", AnnouncementScheduler(deps_for(infra), infra.database_url).run)
