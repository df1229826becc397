"""Notification choices, the rules catalogue, templates and retry backoff: no I/O."""

from __future__ import annotations

from datetime import timedelta
from importlib.resources import files
from uuid import uuid4

import pytest
from eventsourcing.application import Application

from adapters import message_templates
from domain.errors import InvalidInput, NotFound, RuleBroken
from domain.event_conventions import Cause, caused_by
from domain.notification import (
    MAX_PUSH_SUBSCRIPTIONS, TYPES, Channel, NotificationSettings, channel_enabled,
)
from projections.notification_rules import RULES
from workers.notifier import RetryPolicy


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
