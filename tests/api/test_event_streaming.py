"""Published event schemas over HTTP, and real events (made through the API, in every context
that has events) as they arrive on Kafka: each one valid against its own schema, nobody's
personal data in plain text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from jsonschema import Draft202012Validator

from adapters.events.cloudevents import topic_for
from adapters.events.event_schemas import all_schemas
from domain.contexts import contexts_with_events, event_classes, event_type
from domain.identity import Role
from projections.engine.tracking import log_head
from tests.api.catalog.conftest import course_body
from tests.api.conftest import PASSWORD
from tests.assessment_samples import SAMPLES
from tests.streaming import (
    log_positions,
    read_topics,
    start_relay,
    wait_for_relay,
    with_kafka,
)

# What the scenario below makes happen; each must reach Kafka and validate.
PRODUCED = {
    "skillhub.identity.User.Registered", "skillhub.identity.EmailClaim.Claimed",
    "skillhub.identity.Session.Started", "skillhub.identity.Session.Rotated",
    "skillhub.identity.Session.Revoked", "skillhub.identity.User.ProfileUpdated",
    "skillhub.identity.User.PasswordChanged", "skillhub.identity.User.PasswordResetRequested",
    "skillhub.identity.User.RoleGranted", "skillhub.identity.User.RoleRevoked",
    "skillhub.identity.CreatorApplication.Submitted", "skillhub.identity.CreatorApplication.Approved",
    "skillhub.identity.User.Deactivated", "skillhub.identity.User.Erased",
}


def test_every_event_type_has_a_published_schema(client):
    listed = client.get("/api/v1/schemas")
    assert listed.status_code == 200
    published = {e["type"] for e in listed.json()}
    missing = sorted(event_type(cls) for cls in event_classes() if event_type(cls) not in published)
    assert missing == [], f"event types without a schema: {missing}"
    for cls in event_classes():
        r = client.get(f"/api/v1/schemas/{event_type(cls)}")
        assert r.status_code == 200 and r.json()["$id"].endswith(f"/{event_type(cls)}.json"), event_type(cls)


def test_schemas_are_public(client):
    listed = client.get("/api/v1/schemas")
    assert listed.status_code == 200
    assert {e["type"] for e in listed.json()} == set(all_schemas())
    entry = next(e for e in listed.json() if e["type"] == "skillhub.identity.Session.Started")
    assert entry["topic"] == "skillhub.identity.v1"

    one = client.get(entry["schema"])
    assert one.status_code == 200 and one.headers["content-type"] == "application/schema+json"
    assert one.json() == all_schemas()["skillhub.identity.Session.Started"]
    assert "refresh_hash" not in one.json()["properties"]

    missing = client.get("/api/v1/schemas/skillhub.identity.User.Nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def _scenario(client, make_person) -> list:
    admin, moderator = make_person(Role.ADMIN), make_person(Role.MODERATOR)
    alice, bob = make_person(), make_person()
    tokens = client.post("/api/v1/sessions/refresh", json={"refresh_token": alice.tokens["refresh_token"]})
    assert tokens.status_code == 200, tokens.text
    alice_headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
    steps = [
        client.patch(f"/api/v1/users/{alice.user_id}", headers=alice_headers,
                     json={"display_name": "Alice Secretname", "bio": "likes streams"}),
        client.post("/api/v1/users/me/password", headers=alice_headers,
                    json={"current_password": PASSWORD, "new_password": "another long password"}),
        client.post("/api/v1/password-resets", json={"email": bob.email}),
        client.post(f"/api/v1/users/{bob.user_id}/roles", headers=admin.headers, json={"role": "teacher"}),
        client.delete(f"/api/v1/users/{bob.user_id}/roles/teacher", headers=admin.headers),
        client.post("/api/v1/creator-applications", headers=bob.headers, json={"motivation": "I teach Go"}),
    ]
    application_id = steps[-1].json().get("application_id")
    steps += [
        client.post(f"/api/v1/creator-applications/{application_id}/decision", headers=moderator.headers,
                    json={"approve": True}),
        client.delete("/api/v1/sessions/current", headers=bob.headers),
        client.post(f"/api/v1/users/{bob.user_id}/deactivation", headers=admin.headers, json={"reason": "test"}),
        client.post(f"/api/v1/users/{alice.user_id}/erasure", headers=admin.headers),
    ]
    for r in steps:
        assert r.status_code < 300, (r.request.method, r.request.url, r.text)
    return [admin, moderator, alice, bob, *_other_contexts(client, make_person, moderator)]


def _ok(r) -> dict:
    assert r.status_code < 300, (r.request.method, r.request.url, r.text)
    return r.json()


def _other_contexts(client, make_person, moderator) -> list:
    """A few events of every other context: catalog, classroom, assessment, certification, notification,
    community, live, personalization."""
    creator, teacher, carol = make_person(Role.CREATOR), make_person(Role.TEACHER), make_person()
    category = _ok(client.post("/api/v1/categories", json={"name": "Streaming"}, headers=moderator.headers))
    _ok(client.put(f"/api/v1/me/followed-categories/{category['category_id']}", headers=carol.headers))
    _ok(client.put("/api/v1/notifications/preferences", json={"digest": True}, headers=carol.headers))
    course = _ok(client.post("/api/v1/courses", headers=creator.headers,
                             json=course_body(category_ids=[category["category_id"]])))
    _ok(client.post(f"/api/v1/courses/{course['course_id']}/submission", headers=creator.headers))
    _ok(client.post(f"/api/v1/courses/{course['course_id']}/review", json={"approve": True}, headers=moderator.headers))
    _ok(client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=carol.headers))
    _ok(client.put(f"/api/v1/gradebooks/{course['course_id']}/students/{carol.user_id}/override",
                   json={"grade": 88, "reason": "project work"}, headers=creator.headers))
    opened = _ok(client.post("/api/v1/classes", json={"name": "Secretclass"}, headers=teacher.headers))
    _ok(client.post("/api/v1/classes/join", json={"code": opened["join_code"]}, headers=carol.headers))
    lesson = _ok(client.post(f"/api/v1/classes/{opened['class_id']}/lessons", headers=teacher.headers,
                             json={"title": "Secretlesson", "body": "text"}))
    _ok(client.post(f"/api/v1/classes/{opened['class_id']}/lessons/{lesson['lesson_id']}/publication",
                    headers=teacher.headers))
    bank = _ok(client.post("/api/v1/question-banks", json={"title": "Bank"}, headers=teacher.headers))
    question = _ok(client.post(f"/api/v1/question-banks/{bank['bank_id']}/questions", headers=teacher.headers,
                               json={"question": SAMPLES["true_false"]["question"]}))
    quiz = _ok(client.post("/api/v1/quizzes", headers=teacher.headers, json={
        "title": "Quiz", "class_id": opened["class_id"], "items": [{"question_id": question["question_id"]}]}))
    _ok(client.post(f"/api/v1/quizzes/{quiz['quiz_id']}/publication", headers=teacher.headers))
    attempt = _ok(client.post(f"/api/v1/quizzes/{quiz['quiz_id']}/attempts", headers=carol.headers))
    _ok(client.put(f"/api/v1/attempts/{attempt['attempt_id']}/answers/{question['question_id']}",
                   json={"answer": SAMPLES["true_false"]["right"]}, headers=carol.headers))
    _ok(client.post(f"/api/v1/attempts/{attempt['attempt_id']}/submission", headers=carol.headers))
    # community, live and personalization
    forum = _ok(client.post("/api/v1/forums", headers=teacher.headers,
                            json={"scope": "class", "scope_id": opened["class_id"], "title": "Class talk"}))
    _ok(client.post(f"/api/v1/forums/{forum['forum_id']}/threads", headers=carol.headers,
                    json={"title": "A question", "body": "How does this work?"}))
    _ok(client.post("/api/v1/live-sessions", headers=teacher.headers, json={
        "kind": "study", "class_id": opened["class_id"], "quiz_id": quiz["quiz_id"], "title": "Revision",
        "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(), "duration_seconds": 3600}))
    _ok(client.put(f"/api/v1/skills/streaming-{uuid4().hex[:6]}", headers=teacher.headers, json={}))
    return [creator, teacher, carol]


def test_events_made_through_the_api_arrive_valid_and_sealed(infra, client, make_person, kafka_broker):
    people = _scenario(client, make_person)
    infra = with_kafka(infra, kafka_broker)
    relay, workers = start_relay(infra)
    try:
        head = log_head(infra.pool)
        wait_for_relay(infra, head, timeout=60)
    finally:
        workers.shutdown()
    topics = [topic_for(c) for c in contexts_with_events()]
    positions = log_positions(infra.pool, head)
    messages = read_topics(kafka_broker.bootstrap, topics, positions)
    # Later events (other tests' background work) may follow; everything up to head must be there.
    assert {m["event"]["position"] for m in messages} >= positions

    validators = {}
    for m in messages:
        event = m["event"]
        schema = validators.get(event["type"])
        if schema is None:
            r = client.get(f"/api/v1/schemas/{event['type']}")
            assert r.status_code == 200, f"no schema for {event['type']}"
            schema = validators[event["type"]] = Draft202012Validator(
                r.json(), format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = [e.message for e in schema.iter_errors(event["data"])]
        assert not errors, (event["type"], errors)
        assert m["topic"] == topic_for(event["source"].rsplit("/", 1)[1])
    assert PRODUCED <= set(validators)
    # Events of every context that has events were made, validated and published on its topic.
    seen = {m["event"]["source"].rsplit("/", 1)[1] for m in messages if m["event"]["position"] in positions}
    assert seen == set(contexts_with_events())

    wire = b"".join(m["value"] for m in messages)
    for person in people:
        assert person.email.encode() not in wire
    assert b"Alice Secretname" not in wire and b"I teach Go" not in wire and b"likes streams" not in wire
    assert b"Secretclass" not in wire and b"Secretlesson" not in wire  # a teacher's texts are theirs

