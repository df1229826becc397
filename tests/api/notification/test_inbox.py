"""The in-app inbox: who is told what, list/unread/mark-read, the live stream, who may call."""

from __future__ import annotations

import json
import threading
import time
import uuid

from commands.identity.roles import ChangeRole, grant_role
from commands.pipeline import SYSTEM, execute
from domain.identity import Role
from tests.api.notification.helpers import decided, grant


def _inbox(client, person, **params):
    r = client.get("/api/v1/notifications", headers=person.headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_inbox_lists_paginates_counts_and_marks_read(client, make_person):
    frank, admin, other = make_person(), make_person(Role.ADMIN), make_person()
    for role in ("teacher", "creator"):
        grant(client, admin, frank, role)
    position = grant(client, admin, frank, "moderator")
    first = _inbox(client, frank, limit=2, min_position=position)
    assert [i["title"] for i in first["items"]] == ["You are now a moderator on SkillHub",
                                                    "You are now a creator on SkillHub"]
    assert "moderate the forums" in first["items"][0]["body"] and first["items"][0]["read_at"] is None
    rest = _inbox(client, frank, limit=2, cursor=first["next_cursor"])
    assert [i["title"] for i in rest["items"]] == ["You are now a teacher on SkillHub"] and rest["next_cursor"] is None
    count = client.get("/api/v1/notifications/unread-count", headers=frank.headers)
    assert count.json() == {"unread": 3}

    newest = first["items"][0]["message_id"]
    url = f"/api/v1/notifications/{newest}/read"
    assert client.post(url, headers=other.headers).status_code == 404  # not theirs: as if missing
    assert client.post(url).status_code == 401
    r = client.post(url, headers=frank.headers)
    assert r.status_code == 200 and r.json()["read_at"]
    assert client.post(url, headers=frank.headers).json()["read_at"] == r.json()["read_at"]  # idempotent
    assert [i["message_id"] for i in _inbox(client, frank, unread_only=True)["items"]] == [
        i["message_id"] for i in first["items"][1:] + rest["items"]]
    assert client.post(f"/api/v1/notifications/{uuid.uuid4()}/read", headers=frank.headers).status_code == 404
    assert client.post("/api/v1/notifications/not-a-uuid/read", headers=frank.headers).status_code == 422
    assert client.get("/api/v1/notifications", headers=frank.headers, params={"cursor": "bogus"}).status_code == 422
    assert client.get("/api/v1/notifications", headers=frank.headers, params={"limit": 0}).status_code == 422

    # Read-all up to a seen message leaves later ones unread.
    oldest_seq = rest["items"][0]["seq"]
    assert client.post("/api/v1/notifications/read-all", headers=frank.headers,
                       params={"up_to": oldest_seq}).json() == {"marked": 1}
    assert client.get("/api/v1/notifications/unread-count", headers=frank.headers).json() == {"unread": 1}
    assert client.post("/api/v1/notifications/read-all", headers=frank.headers).json() == {"marked": 1}
    assert client.get("/api/v1/notifications/unread-count", headers=frank.headers).json() == {"unread": 0}
    assert client.get("/api/v1/notifications/unread-count", headers=other.headers).json() == {"unread": 0}


def test_anonymous_callers_get_401(client):
    for method, url in [("GET", "/api/v1/notifications"), ("GET", "/api/v1/notifications/unread-count"),
                        ("POST", "/api/v1/notifications/read-all"), ("GET", "/api/v1/notifications/stream"),
                        ("GET", "/api/v1/notifications/preferences"), ("PUT", "/api/v1/notifications/preferences"),
                        ("GET", "/api/v1/notifications/push-subscriptions")]:
        r = client.request(method, url, json={} if method == "PUT" else None)
        assert r.status_code == 401, (method, url, r.status_code)


def test_nobody_is_told_of_their_own_action(client, make_person, infra):
    admin = make_person(Role.ADMIN)
    grant(client, admin, admin, "teacher")
    r = client.post(f"/api/v1/users/{admin.user_id}/deactivation", json={}, headers=admin.headers)
    assert r.status_code == 200
    decided(infra)
    with infra.pool.connection() as conn:
        types = conn.execute("SELECT type, data FROM notification.messages WHERE recipient_id = %s",
                             (admin.user_id,)).fetchall()
    # Only the admin role given by the system at set-up; not the grant or deactivation they did.
    assert [(t["type"], t["data"]) for t in types] == [("role_granted", {"role": "admin"})]


def test_creator_application_decisions_reach_the_applicant(client, make_person):
    gina, moderator = make_person(), make_person(Role.MODERATOR)
    r = client.post("/api/v1/creator-applications", json={"motivation": "I teach"}, headers=gina.headers)
    application = r.json()["application_id"]
    decision = f"/api/v1/creator-applications/{application}/decision"
    r = client.post(decision, json={"approve": False, "reason": "show us a syllabus"}, headers=moderator.headers)
    assert r.status_code == 200
    [rejected] = _inbox(client, gina, min_position=r.json()["position"])["items"]
    assert rejected["title"] == "Your creator application was not accepted"
    assert "show us a syllabus" in rejected["body"]
    client.post("/api/v1/creator-applications", json={"motivation": "here it is"}, headers=gina.headers)
    r = client.post(decision, json={"approve": True}, headers=moderator.headers)
    titles = [i["title"] for i in _inbox(client, gina, min_position=r.json()["position"])["items"]]
    assert titles[:2] == ["You are now a creator on SkillHub", "Your creator application was approved"]
    # The moderator hears of nothing they decided (only of the role given at set-up).
    assert [i["type"] for i in _inbox(client, moderator)["items"]] == ["role_granted"]


def test_deactivation_by_admin_is_mail_only_and_erasure_forgets_everything(client, make_person, infra):
    ivan, admin = make_person(), make_person(Role.ADMIN)
    grant(client, admin, ivan, "teacher")
    r = client.post(f"/api/v1/users/{ivan.user_id}/deactivation", json={"reason": "spam"}, headers=admin.headers)
    decided(infra)
    with infra.pool.connection() as conn:
        rows = conn.execute("SELECT m.type, m.in_inbox, d.channel FROM notification.messages m"
                            " LEFT JOIN notification.deliveries d USING (message_id) WHERE m.recipient_id = %s"
                            " ORDER BY m.seq", (ivan.user_id,)).fetchall()
    assert [(x["type"], x["in_inbox"], x["channel"]) for x in rows] == [
        ("role_granted", True, "email"), ("account_deactivated", False, "email")]
    assert r.status_code == 200
    assert client.post(f"/api/v1/users/{ivan.user_id}/erasure", headers=admin.headers).status_code == 200
    decided(infra)
    with infra.pool.connection() as conn:
        left = conn.execute(
            "SELECT (SELECT count(*) FROM notification.messages WHERE recipient_id = %(u)s)"
            " + (SELECT count(*) FROM notification.deliveries WHERE recipient_id = %(u)s)"
            " + (SELECT count(*) FROM view_notification.people WHERE user_id = %(u)s) AS n",
            {"u": ivan.user_id},
        ).fetchone()["n"]
    assert left == 0


def _read_stream(response) -> tuple[list[dict], list[str]]:
    """Every event of a stream that ends by itself, and its comment lines."""
    events, comments, current = [], [], {}
    for line in response.iter_lines():
        if line.startswith(":"):
            comments.append(line)
        elif line.startswith("id: "):
            current["id"] = int(line[4:])
        elif line.startswith("data: "):
            current["data"] = json.loads(line[6:])
        elif line == "" and "data" in current:
            events.append(current)
            current = {}
    return events, comments


def test_stream_wakes_on_new_notifications(client, make_person, app, monkeypatch):
    hank = make_person()
    with client.stream("GET", "/api/v1/notifications/stream", headers=hank.headers,
                       params={"max_seconds": 10}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        lines = r.iter_lines()
        assert next(lines) == "retry: 3000"
        # Granted elsewhere while the stream is open; heartbeats are 15 s apart, so only the
        # NOTIFY can bring it this fast.
        started = time.monotonic()
        threading.Timer(0.3, execute, [grant_role, ChangeRole(user_id=hank.user_id, role=Role.TEACHER),
                                       SYSTEM, app.state.deps]).start()
        seen = []
        for line in lines:
            seen.append(line)
            if line.startswith("data: "):
                break
    assert time.monotonic() - started < 5
    event = json.loads(seen[-1][6:])
    assert seen[-3:-1] == [f"id: {event['seq']}", "event: notification"]
    assert event["title"] == "You are now a teacher on SkillHub" and event["read_at"] is None

    # Reconnecting with Last-Event-ID replays what came after it; heartbeats keep it alive
    # and it ends by itself after max_seconds.
    monkeypatch.setattr(app.state.deps.settings, "notify_stream_heartbeat_seconds", 0.2)
    with client.stream("GET", "/api/v1/notifications/stream", headers={**hank.headers, "Last-Event-ID": "0"},
                       params={"max_seconds": 1}) as r:
        replayed, comments = _read_stream(r)
    assert [(e["id"], e["data"]["message_id"]) for e in replayed] == [(event["seq"], event["message_id"])]
    assert ": heartbeat" in comments
    assert client.get("/api/v1/notifications/stream", headers=hank.headers,
                      params={"max_seconds": 0}).status_code == 422
