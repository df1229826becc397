"""Gives students who join a class the courses assigned to that class: follows the log through
the enrolment and classroom read models and, for each student in a class with an assigned
course who does not hold that class's assignment yet, runs assign_joiner.

Exactly once without a position of its own: the "due" query leaves out students who already
hold the assignment, and assign_joiner checks the aggregates and records nothing when the
student already has it (a second worker, a read model not caught up yet). A student lacking a
prerequisite is skipped and asked again on later rounds, so they get the course once they have
completed it. Wakes on the store's notifications, not by busy polling.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from adapters.infrastructure import Infrastructure
from commands.catalog.assignment import AssignJoiner, assign_joiner
from commands.pipeline import SYSTEM, Deps, deps_for, execute
from domain.errors import SkillhubError
from projections.catalog import enrolment_queries
from projections.catalog.enrolment import enrolment
from projections.classroom.classroom import classroom
from projections.engine.log_reader import LogReader
from workers.event_rounds import EventRounds

if TYPE_CHECKING:
    from workers.supervision import Workers

log = logging.getLogger(__name__)


def assign_due(deps: Deps) -> int:
    """One round: hand every class's courses to students who joined since. Returns how many."""
    assigned, after = 0, None
    while rows := enrolment_queries.class_assignments_due(deps.pool, after):
        for row in rows:
            cmd = AssignJoiner(class_id=row["class_id"], course_id=row["course_id"], student_id=row["student_id"])
            try:
                assigned += bool(execute(assign_joiner, cmd, SYSTEM, deps).data["assigned"])
            except SkillhubError as e:  # a prerequisite missing (asked again every round: debug), a lost race
                log.debug("course %s not given to %s of class %s: %s", row["course_id"], row["student_id"],
                         row["class_id"], e.detail)
        after = (rows[-1]["assignment_id"], rows[-1]["student_id"])
    return assigned


def giver(deps: Deps, database_url: str, reader: LogReader | None = None, idle_timeout: float = 5.0) -> EventRounds:
    """Rounds after every event of the read models it asks (who is in a class, who holds what)."""
    return EventRounds("class courses", lambda: assign_due(deps), classroom.topics + enrolment.topics,
                       reader, database_url, deps.pool, deps.store, idle_timeout)


def start(infra: Infrastructure, workers: Workers) -> None:
    workers.spawn("class-courses", giver(deps_for(infra), infra.database_url, workers.log_reader(infra)).run)
