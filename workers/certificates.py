"""Issues certificates automatically: follows the log through the certification read model and,
whenever a student meets their course's completion rules, records one Certificate.Issued.

Exactly once without a position of its own: the "due" query excludes students who already hold
a certificate, and the certificate id is derived from (student, course), so a repeated or
concurrent issue (a second worker, a restart before the read model caught up) records nothing.
It wakes on the store's notifications, like the projection runners, not by busy polling.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql

from adapters.event_store import NOTIFY_CHANNEL
from adapters.infrastructure import Infrastructure
from api.app import build_deps
from commands.certification import IssueCertificate, issue_certificate
from commands.pipeline import SYSTEM, Deps, execute
from domain.errors import SkillhubError
from projections import certification_queries, gradebook_queries

if TYPE_CHECKING:
    from workers.runtime import Workers

log = logging.getLogger(__name__)


def _all_due(deps: Deps) -> Iterator[dict[str, Any]]:
    after = None
    while page := certification_queries.due(deps.pool, after):
        yield from page
        after = (page[-1]["course_id"], page[-1]["student_id"])


def issue_due(deps: Deps) -> int:
    """One round: issue every certificate now due. Returns how many were recorded."""
    issued = 0
    for row in _all_due(deps):
        # The course grade is the gradebook's, under the course's grading policy.
        grade = gradebook_queries.student_grades(deps.pool, row["course_id"], row["student_id"])["percent"]
        if row["pass_mark"] is not None and (grade is None or grade < row["pass_mark"]):
            continue  # re-checked on every round: a later grade may reach it
        cmd = IssueCertificate(student_id=row["student_id"], course_id=row["course_id"], grade=grade)
        try:
            done = execute(issue_certificate, cmd, SYSTEM, deps)
        except SkillhubError as e:  # a concurrent issuer won the race, or the course vanished
            log.info("certificate for %s in %s not issued: %s", row["student_id"], row["course_id"], e.detail)
            continue
        issued += bool(done.data["issued"])
    return issued


class CertificateIssuer:
    def __init__(self, deps: Deps, database_url: str, idle_timeout: float = 5.0) -> None:
        self.deps, self.database_url, self.idle_timeout = deps, database_url, idle_timeout

    def run(self, stop: threading.Event) -> None:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(NOTIFY_CHANNEL)))
            while not stop.is_set():
                try:
                    issue_due(self.deps)
                except Exception:  # a database hiccup must not end the worker
                    log.exception("certificate round failed")
                # Any new event may make someone due; the read model applies it a moment later,
                # so a short grace wait follows each wake-up.
                self._wait(conn, stop)
                stop.wait(0.2)

    def _wait(self, conn: psycopg.Connection, stop: threading.Event) -> None:
        deadline = time.monotonic() + self.idle_timeout
        while not stop.is_set() and time.monotonic() < deadline:
            for _ in conn.notifies(timeout=0.25, stop_after=1):
                return


def start(infra: Infrastructure, workers: Workers) -> None:
    workers.spawn("certificates", CertificateIssuer(build_deps(infra), infra.database_url).run)
