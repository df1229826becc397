"""Every event about a person can be found from that person: their data download, the auditor's
person filter and erasure select events by the person's own aggregates (a creation event's
`personal_subject`) and by the fields that name them (projections/audit/person_events.py).

Walks every event class: a field holding an id must be declared a person's or not, and every
aggregate whose creation names a person belongs to that person unless it is declared shared."""

from __future__ import annotations

import typing
from uuid import UUID

from domain.contexts import event_classes
from domain.event_conventions import Root

# Fields holding the id of a person.
PERSON_FIELDS = {"student_id", "user_id", "teacher_id", "uploader_id", "owner_id", "assigned_by",
                 "author_id", "reporter_id", "voter_id", "mentioned_ids",
                 "person_id", "sender_id", "to_id", "student_ids", "examiner_ids", "recipient_ids"}
# Fields holding ids of things, not people.
THING_FIELDS = {
    "assessment_id", "audience_id", "bank_id", "category_id", "category_ids", "class_id", "code_id", "course_id", "enrolment_id",
    "kept_session_id", "lesson_id", "lesson_ids", "media_id", "media_ids", "parent_id", "prerequisites", "question_id",
    "quiz_id", "required_lesson_ids",
    "required_quiz_ids", "scope_id", "subscription_id",
    "forum_id", "from_forum_id", "thread_id", "post_id", "quoted_post_id", "opening_post_id", "target_id",
    "session_id", "connection_id", "attempt_id", "submitted_attempt_ids",
    "live_session_id",
}
_FRAMEWORK = {"originator_id", "originator_id_type", "actor_id", "command_id"}
# Aggregates whose creation names a person who does not own all that happens to them.
SHARED = {
    "Course": "a course is the platform's; its owner is named where it matters (Course.Created)",
    "QuestionBank": "a bank is shared by the staff of its course or class; its owner is named at creation",
    "ClassAssignment": "a class's assignment of a course; every change names the teacher who made it",
    "EmailClaim": "an address's claim passes from person to person; each of its events names its holder",
    "LiveSession": "a live session is its class's; who attends, examines or gets extra time is named in the events",
    "LiveReminder": "one reminder to everyone in a session; it names them all",
}


def _id_fields(cls: type) -> set[str]:
    return {name for name, hint in typing.get_type_hints(cls).items()
            if name not in _FRAMEWORK and "UUID" in str(hint)}


def _aggregates() -> dict[str, list[type]]:
    grouped: dict[str, list[type]] = {}
    for cls in event_classes():
        grouped.setdefault(cls.__qualname__.split(".")[0], []).append(cls)
    return grouped


def test_every_id_field_of_every_event_is_declared_a_person_or_a_thing():
    undeclared = {f"{cls.__qualname__}.{name}" for cls in event_classes()
                  for name in _id_fields(cls) - PERSON_FIELDS - THING_FIELDS}
    assert not undeclared, f"declare these in PERSON_FIELDS or THING_FIELDS: {sorted(undeclared)}"
    assert not PERSON_FIELDS & THING_FIELDS


def test_an_aggregate_created_about_a_person_is_theirs_unless_declared_shared():
    unowned = []
    for aggregate, classes in _aggregates().items():
        for created in (c for c in classes if issubclass(c, Root.Created)):
            people = _id_fields(created) & PERSON_FIELDS
            if people and created.personal_subject not in people and aggregate not in SHARED:
                unowned.append(f"{created.__qualname__} names {sorted(people)} but declares no personal_subject")
    assert not unowned, unowned


def test_every_event_of_a_shared_aggregate_that_concerns_a_person_names_them():
    for aggregate in SHARED:
        classes = _aggregates()[aggregate]
        creation_people = {f for c in classes if issubclass(c, Root.Created) for f in _id_fields(c) & PERSON_FIELDS}
        assert creation_people, f"{aggregate} names nobody at creation: drop it from SHARED"
    # An address's claim: claiming, reclaiming and releasing each name the holder.
    for cls in _aggregates()["EmailClaim"]:
        assert _id_fields(cls) & PERSON_FIELDS, cls.__qualname__


def test_a_personal_subject_names_a_field_holding_a_person():
    for cls in event_classes():
        subject = cls.personal_subject
        assert subject == "originator_id" or subject in PERSON_FIELDS, f"{cls.__qualname__}.personal_subject = {subject}"
        if subject != "originator_id":
            assert typing.get_type_hints(cls)[subject] in (UUID, UUID | None), cls.__qualname__
