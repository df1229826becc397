"""Imported history keeps its times: a Cause with `at`, or happened_at inside a command, dates
the events; without them events are dated now. Milestones are recorded once, in order."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from domain.enrolment import Enrolment
from domain.event_conventions import Cause, caused_by, happened_at

THEN = datetime(2013, 10, 20, 12, tzinfo=UTC)


def test_events_carry_the_time_they_happened():
    with caused_by(Cause(uuid4(), uuid4(), THEN)):
        enrolment = Enrolment.enrol(uuid4(), uuid4())
    assert enrolment.pending_events[0].timestamp == THEN
    with caused_by(Cause(uuid4(), uuid4())):
        with happened_at(THEN):
            dated = Enrolment.enrol(uuid4(), uuid4())
        now = Enrolment.enrol(uuid4(), uuid4())
    assert dated.pending_events[0].timestamp == THEN
    assert (datetime.now(UTC) - now.pending_events[0].timestamp).total_seconds() < 60


def test_milestones_first_lesson_then_halfway_once_each():
    lessons = [uuid4() for _ in range(4)]
    with caused_by(Cause(uuid4(), uuid4())):
        e = Enrolment.enrol(uuid4(), uuid4())
        for lesson in lessons:
            e.complete_lesson(lesson, lessons)
    reached = [(type(x).__name__, getattr(x, "milestone", "")) for x in e.pending_events
               if isinstance(x, Enrolment.MilestoneReached | Enrolment.CourseCompleted)]
    assert reached == [("MilestoneReached", "first_lesson"), ("MilestoneReached", "halfway"), ("CourseCompleted", "")]
