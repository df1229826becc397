"""Daily digests on APScheduler: one cron job per hour of the day that someone chose.

The jobs are derived from the preferences read model at start and re-derived every few
minutes; the scheduler keeps no state of its own (memory job store), so there is never a
second source of truth. A job bundles held e-mails into digest deliveries, which the
delivery worker sends like any other (with retries)."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from psycopg_pool import ConnectionPool

from projections.notification import outbox

log = logging.getLogger(__name__)

JOB_PREFIX = "digest-at-"


class DigestScheduler:
    def __init__(self, pool: ConnectionPool, resync_minutes: float = 5.0) -> None:
        self.pool, self.resync_minutes = pool, resync_minutes
        self.scheduler = BackgroundScheduler(timezone=UTC)

    def run(self, stop: threading.Event) -> None:
        # First run right away; a failing run is logged by APScheduler and tried again later.
        self.scheduler.add_job(self.sync, IntervalTrigger(minutes=self.resync_minutes), id="digest-sync",
                               next_run_time=datetime.now(UTC))
        self.scheduler.start()
        stop.wait()
        self.scheduler.shutdown(wait=False)

    def sync(self) -> None:
        """Make the jobs match the hours people chose; send on held mail of those who opted out."""
        released = outbox.release_undigested(self.pool)
        if released:
            log.info("digest: %d held e-mails released (digest turned off)", released)
        wanted = {f"{JOB_PREFIX}{h:02d}": h for h in outbox.digest_hours(self.pool)}
        for job in self.scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                job.remove()
        for job_id, hour in wanted.items():
            if self.scheduler.get_job(job_id) is None:
                self.scheduler.add_job(
                    self.send_digests, CronTrigger(hour=hour, minute=0, timezone=UTC), args=[hour],
                    id=job_id, coalesce=True, misfire_grace_time=3600,
                )

    def send_digests(self, hour: int) -> int:
        made = outbox.bundle_digests(self.pool, hour)
        log.info("digest %02d:00 UTC: %d digests queued", hour, made)
        return made
