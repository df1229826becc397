"""Preferences and Web Push: validation, who may call, and a VAPID-signed, encrypted push to a
push service on loopback."""

from __future__ import annotations

import base64
import os

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from domain.identity import Role
from tests.api.notification.helpers import decided, wait_until

PREFS = "/api/v1/notifications/preferences"
SUBS = "/api/v1/notifications/push-subscriptions"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """What a browser keeps for one push subscription."""

    def __init__(self, endpoint: str) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        public = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                    serialization.PublicFormat.UncompressedPoint)
        self.subscription = {"endpoint": endpoint, "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)}}


def test_preferences_reject_bad_input_and_change_nothing(client, make_person):
    jane = make_person()
    before = client.get(PREFS, headers=jane.headers).json()
    assert before["channels"]["password_reset"] == {"email": True}
    assert before["channels"]["role_granted"] == {"inbox": True, "email": True, "push": True}
    assert before["digest"] is False
    bad = [
        ({"channels": {"password_reset": {"email": False}}}, "password_reset.email"),
        ({"channels": {"account_deactivated": {"email": False}}}, "account_deactivated.email"),
        ({"channels": {"no_such_type": {"email": False}}}, "no_such_type"),
        ({"channels": {"role_granted": {"fax": True}}}, "role_granted.fax"),
        ({"channels": {"password_reset": {"inbox": True}}}, "password_reset.inbox"),
        ({"digest_hour": 24}, "digest_hour"),
    ]
    for body, field in bad:
        r = client.put(PREFS, json=body, headers=jane.headers)
        assert r.status_code == 422, body
        assert field in [e["field"].removeprefix("body.") for e in r.json()["errors"]], r.json()
    assert client.put(PREFS, json={"channels": {"role_granted": {"email": "maybe"}}}, headers=jane.headers).status_code == 422
    assert client.put(PREFS, content=b"{not json", headers={**jane.headers, "Content-Type": "application/json"}).status_code == 400
    assert client.get(PREFS, headers=jane.headers).json() == before
    # A valid change, then the same again: nothing new is recorded.
    r = client.put(PREFS, json={"channels": {"role_granted": {"push": False}}, "digest": True}, headers=jane.headers)
    assert r.status_code == 200 and r.json()["position"] > 0
    after = client.get(PREFS, headers=jane.headers, params={"min_position": r.json()["position"]}).json()
    assert after["channels"]["role_granted"] == {"inbox": True, "email": True, "push": False} and after["digest"]
    again = client.put(PREFS, json={"channels": {"role_granted": {"push": False}}}, headers=jane.headers)
    assert again.json()["position"] == 0


def test_push_subscription_validation_and_ownership(client, make_person):
    kim, lee = make_person(), make_person()
    good = Browser("https://push.example.com/send/abc").subscription
    bad = [
        {**good, "endpoint": "ftp://push.example.com/x"},
        {**good, "endpoint": "not a url at all"},
        {**good, "keys": {**good["keys"], "p256dh": b64url(b"\x04" + b"1" * 10)}},
        {**good, "keys": {**good["keys"], "p256dh": "%%%"}},
        {**good, "keys": {**good["keys"], "auth": b64url(b"short")}},
        {"endpoint": good["endpoint"]},
    ]
    for body in bad:
        assert client.post(SUBS, json=body, headers=kim.headers).status_code == 422, body
    assert client.get(SUBS, headers=kim.headers).json() == []
    assert client.post(SUBS, json=good).status_code == 401
    r = client.post(SUBS, json=good, headers=kim.headers)
    assert r.status_code == 201
    sub_id = r.json()["subscription_id"]
    assert client.post(SUBS, json=good, headers=kim.headers).json()["subscription_id"] == sub_id  # same browser
    listed = client.get(SUBS, headers=kim.headers, params={"min_position": r.json()["position"]}).json()
    assert [s["subscription_id"] for s in listed] == [sub_id]
    assert client.get(SUBS, headers=lee.headers).json() == []
    assert client.delete(f"{SUBS}/{sub_id}", headers=lee.headers).status_code == 404
    assert client.delete(f"{SUBS}/{sub_id}").status_code == 401
    r = client.delete(f"{SUBS}/{sub_id}", headers=kim.headers)
    assert r.status_code == 200
    assert client.get(SUBS, headers=kim.headers, params={"min_position": r.json()["position"]}).json() == []
    assert client.delete(f"{SUBS}/{sub_id}", headers=kim.headers).status_code == 404


def test_push_is_vapid_signed_and_encrypted_and_gone_subscriptions_are_dropped(
    client, make_person, make_notifier, push_service, infra,
):
    mia, admin = make_person(), make_person(Role.ADMIN)
    browser, stale = Browser(f"{push_service.origin}/push/mia"), Browser(f"{push_service.origin}/gone/mia")
    for b in (browser, stale):
        assert client.post(SUBS, json=b.subscription, headers=mia.headers).status_code == 201
    r = client.post(f"/api/v1/users/{mia.user_id}/roles", json={"role": "teacher"}, headers=admin.headers)
    assert r.status_code == 200
    decided(infra)
    make_notifier(None).deliver_due()  # no mailer: push only
    [sent] = [q for q in push_service.requests if q["path"] == "/push/mia"]
    headers = {k.lower(): v for k, v in sent["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0
    scheme, params = headers["authorization"].split(" ", 1)
    fields = dict(p.split("=", 1) for p in params.split(","))
    assert scheme == "vapid"
    public_key = client.get("/api/v1/notifications/vapid-public-key").json()["public_key"]
    assert fields["k"] == public_key
    verifier = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    claims = jwt.decode(fields["t"], verifier, algorithms=["ES256"], audience=push_service.origin)
    assert claims["sub"] == infra.settings.vapid_subject
    payload = http_ece.decrypt(sent["body"], private_key=browser.key, auth_secret=browser.auth, version="aes128gcm")
    assert b"You are now a teacher on SkillHub" in payload
    # The push service said 410 Gone for the stale one: it is forgotten, not retried.
    wait_until(lambda: [s["endpoint"] for s in client.get(SUBS, headers=mia.headers).json()]
               == [browser.subscription["endpoint"]], what="the gone subscription to be dropped")
    with infra.pool.connection() as conn:
        statuses = conn.execute("SELECT status FROM notification.deliveries WHERE recipient_id = %s"
                                " AND channel = 'push' ORDER BY status", (mia.user_id,)).fetchall()
    assert [s["status"] for s in statuses] == ["cancelled", "sent"]
