"""Notification choices, follows, dead-letter retries, announcements, the rules catalogue,
templates, retry backoff and the announcement plan: no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from importlib.resources import files
from uuid import uuid4

import pytest
from eventsourcing.application import Application

from adapters.documents import message_templates
from domain.announcements import Announcement, AnnouncementKind, announcement_id
from domain.category_follows import CategoryFollow, follow_id
from domain.dead_letters import DeadLetter, dead_letter_id
from domain.errors import Conflict, InvalidInput, NotFound, RuleBroken
from domain.event_conventions import Cause, caused_by
from domain.notification import (
    MAX_PUSH_SUBSCRIPTIONS,
    TYPES,
    Channel,
    NotificationSettings,
    channel_enabled,
)
from projections.notification.rules import RULES
from workers.notification.announcements import plan
from workers.notification.notifier import RetryPolicy


@pytest.fixture(autouse=True)
def cause():
    with caused_by(Cause(uuid4(), uuid4())) as c:
        yield c


def test_defaults_and_security_notices_cannot_be_turned_off():
    assert channel_enabled({}, "role_granted", Channel.PUSH)
    assert not channel_enabled({"role_granted": {"push": False}}, "role_granted", Channel.PUSH)
    assert channel_enabled({"password_reset": {"email": False}}, "password_reset", Channel.EMAIL)
    assert not channel_enabled({}, "password_reset", Channel.INBOX)
    settings = NotificationSettings.start(uuid4())
    with pytest.raises(InvalidInput) as e:
        settings.change({"password_reset": {"email": False}, "nope": {}}, None, 25)
    assert set(e.value.fields) == {"password_reset.email", "nope", "digest_hour"}
    assert len(settings.pending_events) == 1  # only the creation: the bad change recorded nothing


def test_a_change_is_recorded_only_when_something_changes():
    settings = NotificationSettings.start(uuid4())
    assert settings.change({"role_granted": {"email": False}}, True, 6)
    assert not settings.change({"role_granted": {"email": False}}, None, None)
    assert settings.choices == {"role_granted": {"email": False}} and settings.digest and settings.digest_hour == 6
    assert settings.change({"role_granted": {"inbox": False}}, None, None)
    assert settings.choices == {"role_granted": {"email": False, "inbox": False}}


def test_push_subscriptions_are_per_endpoint_and_bounded():
    app = Application()
    settings = NotificationSettings.start(uuid4())
    first = settings.subscribe_push("https://push.example.com/1", "key", "auth")
    assert settings.subscribe_push("https://push.example.com/1", "key", "auth") == first
    assert len(settings.pending_events) == 2  # same browser, same keys: nothing new
    for i in range(2, MAX_PUSH_SUBSCRIPTIONS + 1):
        settings.subscribe_push(f"https://push.example.com/{i}", "key", "auth")
    with pytest.raises(RuleBroken):
        settings.subscribe_push("https://push.example.com/one-too-many", "key", "auth")
    settings.unsubscribe_push(first, "by the subscriber")
    with pytest.raises(NotFound):
        settings.unsubscribe_push(first, "by the subscriber")
    app.save(settings)
    assert first not in app.repository.get(settings.id).push


def test_rules_catalogue_is_consistent():
    assert len({r.event for r in RULES}) == len(RULES)
    # The delivery worker and erasure find a message's rule by its template.
    for template in {r.template for r in RULES}:
        sharing = [r for r in RULES if r.template == template]
        assert len({(r.type, r.secrets, r.personal) for r in sharing}) == 1, template
    assert {r.type for r in RULES} == set(TYPES)  # every kind has a rule
    templates = files("adapters") / "templates" / "notifications"
    for rule in RULES:
        assert rule.type in TYPES
        for suffix in (".subject.txt", ".txt", ".html"):
            assert (templates / f"{rule.template}{suffix}").is_file(), rule.template
        # A secret may travel only by e-mail: the inbox and push keep their text in the database.
        if rule.secrets:
            assert TYPES[rule.type].channels == {Channel.EMAIL}


def test_templates_escape_html_only():
    mail = message_templates.message("role_granted", {"name": "<b>Bo</b>", "role": "teacher"})
    assert mail.subject == "You are now a teacher on SkillHub"
    assert "Hello <b>Bo</b>," in mail.text and "Hello &lt;b&gt;Bo&lt;/b&gt;," in mail.html
    assert message_templates.body("role_granted", {"role": "creator"}).startswith("You are now a creator")
    with pytest.raises(Exception, match="token"):
        message_templates.message("password_reset", {"name": "x", "expires_at": "soon"})


def test_retry_backoff_doubles_then_gives_up():
    policy = RetryPolicy(max_attempts=4, base_seconds=30)
    assert [policy.after(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (30, 60, 120)]
    assert policy.after(4) is None
    assert RetryPolicy(100, 30).after(40) == timedelta(hours=6)


def test_follows_are_recorded_once_and_unfollowing_needs_a_follow():
    user, category = uuid4(), uuid4()
    follow = CategoryFollow.start(user, category)
    assert follow.id == follow_id(user, category) and follow.follow() and not follow.follow()
    follow.unfollow()
    with pytest.raises(NotFound):
        follow.unfollow()
    assert [type(e).__name__ for e in follow.pending_events] == ["Created", "Followed", "Unfollowed"]


def test_a_dead_letter_retry_waits_for_the_previous_one_to_be_applied():
    letter = DeadLetter.start(42)
    letter.request_retry(applied=0)
    with pytest.raises(Conflict):
        letter.request_retry(applied=0)  # the outbox has not applied retry 1 yet
    letter.request_retry(applied=1)
    assert [e.retry for e in letter.pending_events[1:]] == [1, 2]
    assert dead_letter_id(42) == DeadLetter.start(42).id != dead_letter_id(43)


def test_announcements_are_one_per_subject_kind_and_moment_in_any_time_zone():
    quiz, moment = uuid4(), datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
    same = moment.astimezone(timezone(timedelta(hours=2)))
    assert announcement_id(AnnouncementKind.QUIZ_OPENING, quiz, moment) == announcement_id(
        AnnouncementKind.QUIZ_OPENING, quiz, same)
    assert announcement_id(AnnouncementKind.QUIZ_OPENING, quiz, moment) != announcement_id(
        AnnouncementKind.QUIZ_RESULTS, quiz, moment)
    assert Announcement.quiz_opening(quiz, same).id == announcement_id(AnnouncementKind.QUIZ_OPENING, quiz, moment)


def test_the_scheduler_runs_openings_ahead_by_the_lead_time_and_nothing_in_the_past():
    now, quiz, lesson = datetime(2030, 5, 1, 12, 0, tzinfo=UTC), uuid4(), uuid4()
    notices = [{"kind": "quiz_opening", "subject_id": quiz, "moment": now + timedelta(hours=3)},
               {"kind": "quiz_opening", "subject_id": quiz, "moment": now + timedelta(minutes=10)},
               {"kind": "lesson_published", "subject_id": lesson, "moment": now + timedelta(minutes=5)}]
    runs = sorted(run_at for run_at, _ in plan(notices, now, timedelta(hours=1)).values())
    assert runs == [now, now + timedelta(minutes=5), now + timedelta(hours=2)]
