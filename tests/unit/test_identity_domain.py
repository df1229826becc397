"""Identity rules, pure Python with the library's in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from eventsourcing.application import Application

from domain.errors import RuleBroken, Unauthenticated
from domain.event_conventions import Cause, caused_by
from domain.creator_applications import CreatorApplication
from domain.email_claims import EmailClaim, email_claim_id
from domain.identity import Role, User
from domain.sessions import Session

NOW = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cause():
    with caused_by(Cause(uuid4(), uuid4())) as c:
        yield c


def new_user() -> User:
    return User.register(uuid4(), " Alice@Example.COM ", "Alice", "hash")


def test_events_carry_actor_and_command(cause):
    user = new_user()
    user.grant_role(Role.TEACHER)
    events = user.collect_events()
    assert {(e.actor_id, e.command_id) for e in events} == {(cause.actor_id, cause.command_id)}
    assert events[0].email == "alice@example.com"


def test_events_outside_a_command_are_refused():
    import threading

    user, errors = new_user(), []

    def outside() -> None:  # a new thread starts without the test's Cause
        try:
            user.grant_role(Role.TEACHER)
        except RuntimeError as e:
            errors.append(e)

    thread = threading.Thread(target=outside)
    thread.start()
    thread.join()
    assert len(errors) == 1 and Role.TEACHER.value not in user.roles


def test_role_rules():
    user = new_user()
    with pytest.raises(RuleBroken):
        user.grant_role(Role.STUDENT)
    user.grant_role(Role.ADMIN)
    with pytest.raises(RuleBroken):
        user.revoke_role(Role.ADMIN, by=user.id)
    user.revoke_role(Role.ADMIN, by=uuid4())
    with pytest.raises(RuleBroken):
        user.revoke_role(Role.ADMIN, by=uuid4())


def test_reset_token_single_use_latest_only_and_expiring():
    user = new_user()
    user.request_password_reset("first", NOW + timedelta(hours=1))
    user.request_password_reset("second", NOW + timedelta(hours=1))
    with pytest.raises(Unauthenticated):
        user.reset_password("first", "h2", NOW)
    with pytest.raises(Unauthenticated, match="expired"):
        user.reset_password("second", "h2", NOW + timedelta(hours=2))
    user.reset_password("second", "h2", NOW)
    with pytest.raises(Unauthenticated):
        user.reset_password("second", "h3", NOW)


def test_sessions_end_on_password_change_except_the_kept_one():
    user = new_user()
    kept, other = uuid4(), uuid4()
    user.change_password("h2", kept_session_id=kept)
    changed_at = user.sessions_valid_after
    assert user.accepts_session(kept, changed_at - timedelta(days=1))
    assert not user.accepts_session(other, changed_at - timedelta(seconds=1))
    assert user.accepts_session(other, changed_at + timedelta(seconds=1))
    user.deactivate("left")
    assert not user.accepts_session(kept, changed_at)
    with pytest.raises(RuleBroken):
        user.update_profile("x", "y")


def test_refresh_rotation_and_reuse_detection():
    session = Session.start(uuid4(), uuid4(), "t1", NOW + timedelta(days=1), "addr", "ua")
    assert session.rotate("t1", "t2", NOW + timedelta(days=1), NOW)
    with pytest.raises(Unauthenticated):
        session.rotate("bogus", "t3", NOW + timedelta(days=1), NOW)
    assert not session.rotate("t1", "t3", NOW + timedelta(days=1), NOW)
    assert session.revoked
    with pytest.raises(Unauthenticated):
        session.rotate("t2", "t3", NOW + timedelta(days=1), NOW)


def test_email_claims_make_addresses_unique_in_a_store():
    app = Application()
    claim_id = email_claim_id("a@example.com", "k")
    assert claim_id == email_claim_id(" A@Example.com", "k") != email_claim_id("a@example.com", "other-key")
    app.save(EmailClaim.claim(claim_id, uuid4()))
    from eventsourcing.persistence import IntegrityError

    with pytest.raises(IntegrityError):
        app.save(EmailClaim.claim(claim_id, uuid4()))
    claim = app.repository.get(claim_id)
    with pytest.raises(RuleBroken):
        claim.reclaim(uuid4())
    claim.release()
    claim.reclaim(uuid4())


def test_creator_application_decisions():
    applicant = uuid4()
    application = CreatorApplication.submit(applicant, "why")
    with pytest.raises(RuleBroken):
        application.approve(applicant)
    with pytest.raises(RuleBroken):
        application.resubmit("again")
    application.reject(uuid4(), "not yet")
    application.resubmit("again")
    application.approve(uuid4())
    with pytest.raises(RuleBroken):
        application.reject(uuid4(), "too late")


def test_a_failed_login_is_about_the_account_and_seals_where_it_came_from():
    from domain.event_conventions import personal_subject_of
    from domain.sessions import FailedLogin

    user_id = uuid4()
    with caused_by(Cause(None, uuid4())):
        failure = FailedLogin.record(uuid4(), user_id, "wrong password", "192.0.2.1", "curl")
    (event,) = failure.collect_events()
    assert personal_subject_of(event) == user_id and event.actor_id is None
    assert set(FailedLogin.Recorded.personal_fields) == {"address", "user_agent"}
