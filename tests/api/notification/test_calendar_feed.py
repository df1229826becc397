"""The personal calendar feed: issued by its owner at a secret URL, read without logging in,
showing only their own due dates and quiz windows, replaced or revoked at will; the log never
holds the secret."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from domain.calendar_feeds import secret_digest
from domain.identity import Role
from projections.notification.calendar import calendar
from projections.engine.tracking import log_head, wait_for_position
from tests.api.assessment.conftest import API


def _feed(kit, person) -> dict:
    return kit.ok(kit.client.post(f"{API}/me/calendar-feed", headers=person.headers), 201)


def _read(kit, infra, path: str):
    wait_for_position(infra.pool, [calendar], log_head(infra.pool), 10)
    return kit.client.get(path)  # no Authorization: calendar apps cannot log in


def _events(r) -> dict[str, dict]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    assert cal["prodid"] == "-//SkillHub//Calendar feed//EN" and cal["version"] == "2.0"
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_the_feed_shows_the_owners_due_dates_and_quiz_windows_only(kit, infra, catalog, make_person):
    tag = uuid.uuid4().hex[:6]
    room = kit.classroom(1)
    [student] = room.students
    opens, closes = (datetime.now(UTC).replace(microsecond=0) + timedelta(days=d) for d in (1, 2))
    kit.quiz(room, ["true_false"], title=f"Window {tag}", opens_at=opens.isoformat(), closes_at=closes.isoformat())
    other = kit.classroom(0, teacher=kit.cast.other_teacher)
    kit.quiz(other, ["true_false"], title=f"Elsewhere {tag}", closes_at=closes.isoformat())
    course_title = f"Due {tag}"
    course = catalog.published(title=course_title)
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/assignments", headers=make_person(Role.ADMIN).headers,
                           json={"student_ids": [student.user_id], "due_at": due.isoformat()}))

    issued = _feed(kit, student)
    assert issued["url"].endswith(issued["path"]) and issued["path"].startswith(f"{API}/calendar-feeds/")
    events = _events(_read(kit, infra, issued["path"]))
    window = events[f"Quiz: Window {tag}"]
    assert window.decoded("dtstart") == opens and window.decoded("dtend") == closes
    assert events[f"Due: {course_title}"].decoded("dtstart") == due
    assert not [s for s in events if f"Elsewhere {tag}" in s]  # not her class
    # The teacher's own feed shows the quiz of their class too.
    teacher_events = _events(_read(kit, infra, _feed(kit, room.teacher)["path"]))
    assert f"Quiz: Window {tag}" in teacher_events and f"Due: {course_title}" not in teacher_events


def test_a_feed_is_replaced_and_revoked_by_its_owner_and_its_secret_is_not_logged(kit, infra):
    person = kit.cast.students[4]
    assert kit.client.post(f"{API}/me/calendar-feed").status_code == 401
    assert kit.client.get(f"{API}/me/calendar-feed").status_code == 401
    first = _feed(kit, person)
    assert _read(kit, infra, first["path"]).status_code == 200
    second = _feed(kit, person)
    assert _read(kit, infra, first["path"]).status_code == 404  # replaced
    assert _read(kit, infra, second["path"]).status_code == 200
    r = kit.client.get(f"{API}/me/calendar-feed", headers=person.headers, params={"min_position": second["position"]})
    assert kit.ok(r) == {"active": True}

    guessed = kit.client.get(f"{API}/calendar-feeds/{uuid.uuid4().hex}.ics")
    assert guessed.status_code == 404 and guessed.headers["content-type"].startswith("application/problem+json")

    revoked = kit.ok(kit.client.delete(f"{API}/me/calendar-feed", headers=person.headers))
    assert _read(kit, infra, second["path"]).status_code == 404
    assert kit.client.delete(f"{API}/me/calendar-feed", headers=person.headers).status_code == 404
    r = kit.client.get(f"{API}/me/calendar-feed", headers=person.headers, params={"min_position": revoked["position"]})
    assert kit.ok(r) == {"active": False}
    assert kit.client.delete(f"{API}/me/calendar-feed", headers=kit.cast.students[3].headers).status_code == 404

    # The log holds the hash, never the secret; auditors see neither.
    secret = second["path"].rsplit("/", 1)[1].removesuffix(".ics")
    with infra.pool.connection() as conn:
        rows = conn.execute("SELECT topic, state FROM skillhub_events WHERE originator_id = %s"
                            " ORDER BY originator_version",
                            (second["feed_id"],)).fetchall()
    assert [r["topic"].rsplit(":", 1)[1] for r in rows] == [
        "CalendarFeed.Opened", "CalendarFeed.SecretIssued", "CalendarFeed.SecretIssued", "CalendarFeed.Revoked"]
    assert not any(secret.encode() in bytes(r["state"]) for r in rows)
    assert any(secret_digest(secret).encode() in bytes(r["state"]) for r in rows)
    audit = kit.ok(kit.client.get(f"{API}/audit/events", headers=kit.cast.auditor.headers,
                                  params={"aggregate_id": second["feed_id"]}))
    issued = [e for e in audit["items"] if e["type"].endswith("CalendarFeed.SecretIssued")]
    assert issued and all(e["data"]["secret_hash"] == "[redacted]" for e in issued)


def test_a_deactivated_persons_feed_stops(kit, infra, make_person):
    person, admin = make_person(), make_person(Role.ADMIN)
    feed = _feed(kit, person)
    assert _read(kit, infra, feed["path"]).status_code == 200
    kit.ok(kit.client.post(f"{API}/users/{person.user_id}/deactivation", headers=admin.headers,
                           json={"reason": "left the school"}))
    assert _read(kit, infra, feed["path"]).status_code == 404
