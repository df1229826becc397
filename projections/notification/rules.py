"""Who is told what: one rule per kind of event. Adding a kind of notification is adding a
rule here (plus its type in domain.notification.TYPES and its templates).

Rules run inside the notification projection (projections/notification/decisions.py), before the
event's own state changes are applied, so recipients and context may be looked up in its
tables (projections/notification/recipients.py, notification_quizzes.py). Nobody is told
of their own action: recipients equal to the event's actor are dropped by the projection, not
by each rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import psycopg

from domain.announcements import Announcement
from domain.attempts import Attempt
from domain.bulletins import Bulletin
from domain.catalog import Course
from domain.certification import Certificate
from domain.class_lessons import ClassLesson
from domain.creator_applications import CreatorApplication
from domain.enrolment import Enrolment
from domain.forum import Thread
from domain.forum_posts import Post
from domain.gradebook import GradeOverride
from domain.identity import User
from domain.live.messages import LiveReminder
from projections.notification import communication as talk
from projections.notification import forum, quizzes
from projections.notification import recipients as look

Recipients = Callable[[psycopg.Cursor, Any], list[UUID]]
Context = Callable[[psycopg.Cursor, Any], dict[str, Any]]


def _nothing(cur: psycopg.Cursor, event: Any) -> dict[str, Any]:
    return {}


def _of_event(values: Callable[[Any], dict[str, Any]]) -> Context:
    return lambda cur, event: values(event)


@dataclass(frozen=True)
class Rule:
    event: type
    type: str  # a key of domain.notification.TYPES: what preferences are about
    template: str  # adapters/templates/notifications/<template>.*
    recipients: Recipients
    # Values for the templates, kept with the message: never secrets.
    context: Context = field(default=_nothing)
    # Values read again from the (decrypted) event when the e-mail is sent, never stored.
    secrets: Callable[[Any], dict[str, Any]] | None = None
    # Context keys holding someone else's personal data, and whose: erasing that person
    # blanks them in the messages already made (projections/notification/decisions.py).
    personal: tuple[str, ...] = ()
    personal_of: Callable[[psycopg.Cursor, Any], UUID] | None = None


_LESSON = {"context": look.lesson, "personal": ("lesson_title", "class_name"), "personal_of": look.lesson_teacher}

RULES: list[Rule] = [
    Rule(User.PasswordResetRequested, "password_reset", "password_reset", look.the_person,
         context=_of_event(lambda e: {"expires_at": e.expires_at.strftime("%Y-%m-%d %H:%M")}),
         secrets=lambda e: {"token": e.token}),
    Rule(User.RoleGranted, "role_granted", "role_granted", look.the_person,
         context=_of_event(lambda e: {"role": e.role})),
    Rule(CreatorApplication.Approved, "creator_application", "creator_application_approved", look.the_applicant),
    Rule(CreatorApplication.Rejected, "creator_application", "creator_application_rejected", look.the_applicant,
         context=_of_event(lambda e: {"reason": e.reason})),
    Rule(User.Deactivated, "account_deactivated", "account_deactivated", look.the_person,
         context=_of_event(lambda e: {"reason": e.reason})),
    Rule(Certificate.Issued, "certificate", "certificate_issued", look.the_student,
         context=_of_event(lambda e: {"course_title": e.course_title, "code": e.code,
                                      "certificate_id": str(e.originator_id)})),
    Rule(Certificate.Revoked, "certificate", "certificate_revoked", look.the_student,
         context=_of_event(lambda e: {"reason": e.reason})),
    Rule(GradeOverride.Overridden, "grade", "grade_overridden", look.the_student,
         context=_of_event(lambda e: {"scope_id": str(e.scope_id), "grade": e.grade, "reason": e.reason})),
    Rule(Course.Published, "course_published", "course_published", look.followers_of_new_course,
         context=look.new_course),
    Rule(Enrolment.Enrolled, "course_assigned", "course_assigned", look.assigned_student, context=look.assignment),
    Rule(Enrolment.Assigned, "course_assigned", "course_assigned", look.assigned_student, context=look.assignment),
    Rule(ClassLesson.Published, "lesson_published", "lesson_published", look.students_of_published_lesson, **_LESSON),
    Rule(Announcement.LessonPublished, "lesson_published", "lesson_published", look.students_of_announced_lesson,
         **_LESSON),
    Rule(Announcement.QuizOpening, "quiz_opening", "quiz_opening", quizzes.quiz_audience, context=quizzes.quiz),
    Rule(Announcement.QuizResultsReleased, "quiz_graded", "quiz_results_released", quizzes.students_with_results,
         context=quizzes.quiz),
    Rule(Attempt.Submitted, "quiz_graded", "quiz_graded", quizzes.student_once_released,
         context=quizzes.attempt_score),
    Rule(Attempt.Regraded, "quiz_graded", "quiz_graded", quizzes.student_once_released,
         context=quizzes.attempt_score),
    Rule(Attempt.EssayGraded, "quiz_graded", "grade_recorded", quizzes.student_once_released,
         context=quizzes.attempt_score),
    Rule(Post.Written, "forum_post", "forum_post", forum.post_audience, context=forum.where),
    Rule(Thread.AnswerAccepted, "forum_answer_accepted", "forum_answer_accepted", forum.answer_author,
         context=forum.where),
    # Course communication (issue 12): announcements, reminders, new revisions.
    Rule(Bulletin.Posted, "announcement", "announcement", talk.bulletin_audience, context=talk.bulletin,
         personal=("title", "body", "place"), personal_of=talk.bulletin_author),
    Rule(Announcement.QuizClosing, "deadline_reminder", "quiz_closing", quizzes.audience_yet_to_submit,
         context=quizzes.quiz),
    Rule(Announcement.AssignmentDue, "deadline_reminder", "course_due", talk.student_still_enrolled,
         context=talk.due_course),
    Rule(Course.Published, "course_updated", "course_revised", talk.enrolled_in_revised_course,
         context=talk.revised_course),
    Rule(LiveReminder.Due, "live_session", "live_session_reminder", lambda cur, e: list(e.recipient_ids),
         context=_of_event(lambda e: {"title": e.title, "starts_at": e.starts_at.strftime("%Y-%m-%d %H:%M UTC"),
                                      "session_id": str(e.session_id)})),
    # Forum (issue 12): an approved post tells whom it would have told; an edit, the newly mentioned.
    Rule(Post.Approved, "forum_post", "forum_post", forum.approved_post_audience, context=forum.where),
    Rule(Post.Edited, "forum_post", "forum_mention", forum.newly_mentioned, context=forum.where),
]

BY_TEMPLATE: dict[str, Rule] = {r.template: r for r in RULES}
