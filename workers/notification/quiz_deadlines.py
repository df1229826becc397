"""Submits attempts still open at their deadline (time limit or quiz close), on APScheduler.

One date job per open attempt, derived from the attempts read model at start and re-derived
every few seconds (new attempts, attempts submitted meanwhile); the scheduler keeps no state
of its own. Lateness of a job costs nothing: the attempt counts as submitted at its deadline,
and commands refuse answers after it even when this worker is down (commands/assessment/attempts.py).
Several of these workers may run: the second submission of an attempt records nothing.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from adapters.infrastructure import Infrastructure
from commands.assessment.attempts import AttemptRef, submit_overdue
from commands.pipeline import SYSTEM, Deps, deps_for, execute
from domain.errors import SkillhubError
from projections.assessment import attempts_queries

if TYPE_CHECKING:
    from workers.supervision import Workers

log = logging.getLogger(__name__)
JOB_PREFIX = "attempt-deadline-"


class DeadlineScheduler:
    def __init__(self, deps: Deps, resync_seconds: float = 10.0) -> None:
        self.deps, self.resync_seconds = deps, resync_seconds
        self.scheduler = BackgroundScheduler(timezone=UTC)

    def run(self, stop: threading.Event) -> None:
        self.sync()
        self.scheduler.add_job(self.sync, IntervalTrigger(seconds=self.resync_seconds), id="deadline-sync")
        self.scheduler.start()
        stop.wait()
        self.scheduler.shutdown(wait=False)

    def sync(self) -> None:
        """Make the jobs match the open attempts of the read model."""
        wanted = {f"{JOB_PREFIX}{attempt_id}": (attempt_id, deadline)
                  for attempt_id, deadline in attempts_queries.open_deadlines(self.deps.pool)}
        for job in self.scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                job.remove()
        now = datetime.now(UTC)
        for job_id, (attempt_id, deadline) in wanted.items():
            if self.scheduler.get_job(job_id) is None:
                # Deadlines already past run at once; none is ever skipped as "misfired".
                self.scheduler.add_job(self.submit, DateTrigger(run_date=max(deadline, now)), args=[attempt_id],
                                       id=job_id, misfire_grace_time=None, coalesce=True)

    def submit(self, attempt_id: UUID) -> bool:
        try:
            done = execute(submit_overdue, AttemptRef(attempt_id=attempt_id), SYSTEM, self.deps)
        except SkillhubError as e:  # e.g. a student submitted at the same moment
            log.info("attempt %s not submitted at its deadline: %s", attempt_id, e.detail)
            return False
        if done.data["submitted"]:
            log.info("attempt %s submitted at its deadline", attempt_id)
        return done.data["submitted"]


def start(infra: Infrastructure, workers: Workers) -> None:
    workers.spawn("quiz-deadlines", DeadlineScheduler(deps_for(infra)).run)
