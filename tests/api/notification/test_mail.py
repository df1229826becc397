"""E-mail notifications end to end, against a real SMTP server on loopback."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest

from adapters.outside.mail import delivery_message_id
from domain.dead_letters import dead_letter_id
from domain.identity import Role
from projections.engine.rebuild import rebuild
from projections.notification.decisions import notification
from tests.api.notification.helpers import (
    SmtpSink,
    decided,
    grant,
    html_of,
    running,
    text_of,
    wait_until,
)
from workers.notification.digest import DigestScheduler
from workers.runtime import start_workers


def _deliveries(infra, user_id: str) -> list[dict[str, Any]]:
    with infra.pool.connection() as conn:
        return conn.execute(
            "SELECT d.delivery_id, d.channel, d.status, d.attempts, m.type FROM notification.deliveries d"
            " LEFT JOIN notification.messages m USING (message_id) WHERE d.recipient_id = %s ORDER BY delivery_id",
            (user_id,),
        ).fetchall()


def test_password_reset_mail_carries_a_working_token(client, make_person, make_notifier, smtp, infra):
    alice = make_person()
    with running(make_notifier(smtp.mailer())):
        assert client.post("/api/v1/password-resets", json={"email": alice.email}).status_code == 202
        [mail] = smtp.wait_for(alice.email)
    assert mail["Subject"] == "Reset your SkillHub password"
    token = re.search(rf"{alice.user_id}\.[A-Za-z0-9_-]+", text_of(mail)).group(0)
    assert token in html_of(mail)
    r = client.post("/api/v1/password-resets/confirm", json={"token": token, "new_password": "a brand new secret"})
    assert r.status_code == 200, r.text
    r = client.post("/api/v1/sessions", json={"email": alice.email, "password": "a brand new secret"})
    assert r.status_code == 201
    # The code never reaches the inbox, nor the notifier's tables.
    inbox = client.get("/api/v1/notifications", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
    assert inbox.json()["items"] == []
    with infra.pool.connection() as conn:
        stored = conn.execute("SELECT data::text || title || body AS t FROM notification.messages"
                              " WHERE recipient_id = %s", (alice.user_id,)).fetchall()
    assert len(stored) == 1 and token.split(".")[1] not in stored[0]["t"]


def test_restarted_notifier_and_replayed_decisions_send_no_duplicate(client, make_person, make_notifier, smtp, infra):
    bob = make_person()
    for _ in range(3):  # the most one account may ask for in an hour
        assert client.post("/api/v1/password-resets", json={"email": bob.email}).status_code == 202
    decided(infra)
    stop = threading.Event()
    real = smtp.mailer()

    class StopsAfterTwo:
        sender = real.sender

        def send(self, to: str, message: Any, message_id: str, headers: dict[str, str]) -> None:
            real.send(to, message, message_id, headers)
            if len(smtp.to(bob.email)) == 2:
                stop.set()  # the process dies here, right after its second mail to bob

    make_notifier(StopsAfterTwo()).deliver_due(stop)
    assert len(smtp.to(bob.email)) == 2
    # Replaying the whole log into the deciding projection decides nothing new.
    rebuild(infra.pool, infra.store, notification, 100)
    assert len(_deliveries(infra, bob.user_id)) == 3
    make_notifier(smtp.mailer()).deliver_due()
    mails = smtp.to(bob.email)
    assert len(mails) == 3
    tokens = {re.search(rf"{bob.user_id}\.[A-Za-z0-9_-]+", text_of(m)).group(0) for m in mails}
    assert len(tokens) == 3


def test_smtp_down_retries_then_dead_letter_then_admin_retry(client, make_person, make_notifier, infra):
    carol, admin, student = make_person(), make_person(Role.ADMIN), make_person()
    down = SmtpSink()  # its port is reserved but nothing listens yet
    with running(make_notifier(down.mailer(), attempts=3, base_seconds=0.05)):
        grant(client, admin, carol, "teacher")

        def carol_dead() -> list[dict[str, Any]]:
            items = client.get("/api/v1/notifications/dead-letters", headers=admin.headers, params={"limit": 200}).json()
            return [d for d in items["items"] if d["recipient_id"] == carol.user_id]

        [dead] = wait_until(carol_dead, what="the dead letter")
        assert dead["attempts"] == 3 and dead["channel"] == "email" and dead["type"] == "role_granted"
        assert "Connection" in dead["last_error"] or "refused" in dead["last_error"].lower()
        url = f"/api/v1/notifications/dead-letters/{dead['delivery_id']}/retry"
        assert client.get("/api/v1/notifications/dead-letters", headers=student.headers).status_code == 403
        assert client.get("/api/v1/notifications/dead-letters").status_code == 401
        assert client.post(url, headers=student.headers).status_code == 403
        assert client.post(url).status_code == 401
        assert client.post("/api/v1/notifications/dead-letters/999999999/retry", headers=admin.headers).status_code == 404
        down.start()
        try:
            retried = client.post(url, headers=admin.headers)
            assert retried.status_code == 200 and retried.json()["position"] > 0
            after = client.get("/api/v1/notifications/dead-letters", headers=admin.headers,
                               params={"limit": 200, "min_position": retried.json()["position"]}).json()["items"]
            assert dead["delivery_id"] not in {d["delivery_id"] for d in after}  # back in the outbox
            [mail] = down.wait_for(carol.email)
        finally:
            down.stop()
    assert mail["Subject"] == "You are now a teacher on SkillHub"
    assert not carol_dead()
    assert client.post(url, headers=admin.headers).status_code == 404  # sent: nothing to retry
    # The retry is on record: who asked, for which delivery.
    auditor = make_person(Role.AUDITOR)
    history = client.get("/api/v1/audit/events", headers=auditor.headers,
                         params={"aggregate_id": str(dead_letter_id(dead["delivery_id"]))}).json()["items"]
    assert [(e["type"], e["actor_id"]) for e in history] == [
        ("DeadLetter.Created", admin.user_id), ("DeadLetter.RetryRequested", admin.user_id)]
    assert history[1]["data"] == {"delivery_id": dead["delivery_id"], "retry": 1}
    # Replaying the log applies the retry no second time: the mail is not sent again.
    rebuild(infra.pool, infra.store, notification, 100)
    assert [d["status"] for d in _deliveries(infra, carol.user_id)] == ["sent"]


def test_a_mail_sent_again_after_a_crash_keeps_its_message_id(client, make_person, make_notifier, smtp, infra):
    gus, admin = make_person(), make_person(Role.ADMIN)
    for role in ("teacher", "creator"):
        grant(client, admin, gus, role)
    decided(infra)
    real, crashed = smtp.mailer(), []

    class DiesAfterTheServersOk:
        sender = real.sender

        def send(self, to: str, message: Any, message_id: str, headers: dict[str, str]) -> None:
            real.send(to, message, message_id, headers)
            crashed.append(message_id)
            raise SystemExit("killed before the outbox commits")

    with pytest.raises(SystemExit):
        make_notifier(DiesAfterTheServersOk()).deliver_due()
    make_notifier(real).deliver_due()
    [copy, again] = [m for m in smtp.messages if m["Message-ID"] == crashed[0]]
    assert (copy["To"], copy["Subject"], text_of(copy)) == (again["To"], again["Subject"], text_of(again))
    with infra.pool.connection() as conn:
        row = conn.execute("SELECT delivery_id, created_at FROM notification.deliveries WHERE delivery_id = %s",
                           (int(copy["X-SkillHub-Delivery"]),)).fetchone()
    assert crashed[0] == delivery_message_id(row["delivery_id"], row["created_at"], real.sender)
    assert crashed[0].endswith("@skillhub.test>")
    # Every other mail has an id of its own.
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(set(ids)) == len(ids) - 1
    assert len({m["Message-ID"] for m in smtp.to(gus.email)}) == 2


def test_preference_off_means_no_mail_but_security_mail_still_comes(client, make_person, make_notifier, smtp, infra):
    dave, admin = make_person(), make_person(Role.ADMIN)
    r = client.put("/api/v1/notifications/preferences", headers=dave.headers,
                   json={"channels": {"role_granted": {"email": False}}})
    assert r.status_code == 200, r.text
    prefs = client.get("/api/v1/notifications/preferences", headers=dave.headers,
                       params={"min_position": r.json()["position"]}).json()
    assert prefs["channels"]["role_granted"] == {"inbox": True, "email": False, "push": True}
    grant(client, admin, dave, "teacher")
    r = client.post(f"/api/v1/users/{dave.user_id}/deactivation", json={"reason": "policy"}, headers=admin.headers)
    assert r.status_code == 200
    with running(make_notifier(smtp.mailer())):
        [mail] = smtp.wait_for(dave.email)
    assert mail["Subject"] == "Your SkillHub account was deactivated" and "policy" in text_of(mail)
    assert [d["type"] for d in _deliveries(infra, dave.user_id)] == ["account_deactivated"]


def test_digest_gathers_held_mail_into_one_message(client, make_person, make_notifier, smtp, infra):
    erin, admin = make_person(), make_person(Role.ADMIN)
    r = client.put("/api/v1/notifications/preferences", headers=erin.headers, json={"digest": True, "digest_hour": 3})
    assert r.status_code == 200
    client.get("/api/v1/notifications/preferences", headers=erin.headers, params={"min_position": r.json()["position"]})
    for role in ("teacher", "creator", "moderator"):
        grant(client, admin, erin, role)
    assert client.post("/api/v1/password-resets", json={"email": erin.email}).status_code == 202
    decided(infra)
    notifier = make_notifier(smtp.mailer())
    notifier.deliver_due()
    # Security mail is never held for the digest.
    assert [m["Subject"] for m in smtp.to(erin.email)] == ["Reset your SkillHub password"]
    assert [d["status"] for d in _deliveries(infra, erin.user_id) if d["type"] == "role_granted"] == ["held"] * 3
    scheduler = DigestScheduler(infra.pool)
    scheduler.sync()  # jobs come from the preferences read model
    assert scheduler.scheduler.get_job("digest-at-03") is not None
    assert scheduler.send_digests(3) >= 1
    notifier.deliver_due()
    digest = smtp.to(erin.email)[1:]
    assert [m["Subject"] for m in digest] == ["Your SkillHub digest: 3 notices"]
    for role in ("teacher", "creator", "moderator"):
        assert f"You are now a {role} on SkillHub" in text_of(digest[0])
        assert f"<strong>You are now a {role} on SkillHub</strong>" in html_of(digest[0])
    assert [d["status"] for d in _deliveries(infra, erin.user_id) if d["type"] == "role_granted"] == ["bundled"] * 3
    # Turning the digest off removes the job at the next sync.
    r = client.put("/api/v1/notifications/preferences", headers=erin.headers, json={"digest": False})
    client.get("/api/v1/notifications/preferences", headers=erin.headers, params={"min_position": r.json()["position"]})
    scheduler.sync()
    assert scheduler.scheduler.get_job("digest-at-03") is None


def test_html_mail_escapes_what_people_typed(client, make_person, make_notifier, smtp):
    admin = make_person(Role.ADMIN)
    mallory = make_person()
    r = client.patch(f"/api/v1/users/{mallory.user_id}", headers=mallory.headers,
                     json={"display_name": "<script>x()</script>"})
    assert r.status_code == 200
    grant(client, admin, mallory, "teacher")
    with running(make_notifier(smtp.mailer())):
        [mail] = smtp.wait_for(mallory.email)
    assert "&lt;script&gt;" in html_of(mail) and "<script>" not in html_of(mail)
    assert "Hello <script>x()</script>," in text_of(mail)


def test_notifier_worker_is_registered_and_stops_cleanly(infra):
    workers = start_workers(infra, ["notifier"])
    try:
        wait_until(lambda: {t.name for t in workers.threads if t.is_alive()} == {"notifier", "notifier-digest"},
                   what="the notifier threads")
    finally:
        workers.shutdown()
    assert not any(t.is_alive() for t in workers.threads)
