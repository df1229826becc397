"""Every operation of /openapi.json, called by anyone, by a person of each role who holds no
relation to the world's resources, by the owner who holds the relation the access table names
(api/platform/access/table.py) and by a classmate (a student of the same class and course, who
owns nothing), against the real app on PostgreSQL.

Expected: allowed -> not 401 or 403 (the gate runs before validation, so a 422 past the gate is
still "let in"; a relation-checked call gets a valid body so its handler runs), and for the owner
and the classmate not 404 either, and a read answers 2xx or 3xx; denied -> 401 without a login,
403 from the gate, and the line's refusals from the relation check (403; 404 for `hidden=True`,
409 for `refused_as_rule=True`). Within an operation the denied calls go first, then the owner's,
then the other allowed ones; operations that change what others rely on run last (TIERS)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from api.platform.access.gate import check_covers, operations
from api.platform.access.rules import ROLES, Relation, Rule
from api.platform.access.table import POLICY
from tests.api.access_world import Builder, World
from tests.api.catalog.conftest import course_body
from tests.api.conftest import PASSWORD, Person
from tests.api.learner.conftest import learner_following
from tests.assessment_samples import SAMPLES

# Query parameters that keep a call short (a stream ends at once).
PARAMS: dict[str, dict[str, Any]] = {"GET /api/v1/notifications/stream": {"max_seconds": 1}}

ANONYMOUS = "anonymous"
OWNER = "owner"
CLASSMATE = "classmate"  # a student of the same class and course: holds the member relations only
MEMBER_RELATIONS = {Relation.CLASS_MEMBER, Relation.CLASS_STUDENT, Relation.ENROLLED, Relation.FORUM_READER,
                    Relation.QUIZ_STUDENT, Relation.QUIZ_READER, Relation.PARTICIPANT, Relation.SESSION_STUDENT}
# Who holds each relation in the world.
HOLDERS = {
    Relation.SELF: "learner", Relation.COURSE_OWNER: "author", Relation.ENROLLED: "learner",
    Relation.CLASS_TEACHER: "teacher", Relation.CLASS_MEMBER: "learner", Relation.CLASS_STUDENT: "learner",
    Relation.SCOPE_STAFF: "teacher", Relation.BANK_MANAGER: "teacher", Relation.QUIZ_STAFF: "teacher",
    Relation.QUIZ_STUDENT: "learner", Relation.QUIZ_READER: "learner", Relation.ATTEMPT_STUDENT: "learner",
    Relation.HOLDER: "learner", Relation.UPLOADER: "teacher", Relation.RECIPIENT: "learner",
    Relation.FORUM_READER: "learner", Relation.FORUM_MODERATOR: "teacher", Relation.POST_AUTHOR: "learner",
    Relation.EXAMINER: "teacher", Relation.PARTICIPANT: "learner", Relation.SESSION_STUDENT: "learner",
}
# The walk's order after the untiered operations: leaving the course (the learner's enrolment is
# not needed after it), enrolling (it would give strangers a relation), calls that end a login or
# a resource, moderation (it may hide the world's thread), deleting what other calls use.
TIERS = (
    ("DELETE /api/v1/courses/{course_id}/enrolment",),
    ("POST /api/v1/courses/{course_id}/enrolment", "/suspensions"),
    ("DELETE ", "/archive", "/erasure", "/deactivation", "/cancellation", "/end", "/password",
     "/sessions/current", "/roles"),
    ("/moderation",),
    ("DELETE /api/v1/forum/posts/{post_id}", "DELETE /api/v1/questions/{question_id}",
     "DELETE /api/v1/categories/{category_id}"),
)
# Ids the world has no real resource for: a refusal may be 403 or 404, and no owner call is made.
PHANTOM = ("{certificate_id}", "{message_id}", "{draft_id}", "{report_id}", "{delivery_id}", "{suggestion_id}",
           "{application_id}", "{code}", "{secret}")
# Public operations whose body carries the credential: their 401 is about it, not the gate.
CREDENTIAL_IN_BODY = ("POST /api/v1/sessions", "POST /api/v1/sessions/refresh", "POST /api/v1/password-resets/confirm")


def _tier(key: str) -> int:
    last = len(TIERS) - 1
    if key in TIERS[last]:
        return last + 1
    return next((i + 1 for i, marks in enumerate(TIERS[:last]) if any(m in key for m in marks)), 0)


def _path_values(w: World, key: str) -> dict[str, str]:
    ids, in_class = w.ids, "/classes/{class_id}" in key
    values = {
        "course_id": ids["course_id"], "class_id": ids["class_id"], "quiz_id": ids["quiz_id"], "version": "1",
        "attempt_id": ids["attempt_id"], "question_id": ids["question_id"], "bank_id": ids["bank_id"],
        "lesson_id": ids["class_lesson_id"] if in_class else ids["course_lesson_id"],
        "user_id": w.learner.user_id, "student_id": w.learner.user_id, "scope_id": ids["class_id"],
        "media_id": ids["media_id"], "category_id": ids["category_id"], "forum_id": ids["forum_id"],
        "thread_id": ids["thread_id"], "post_id": ids["post_id"], "session_id": ids["session_id"],
        "subscription_id": ids["subscription_id"], "role": "teacher", "name": "walking", "page": "student",
        "event_type": "identity.User.Registered", "code": "no-such-code", "secret": "no-such-secret",
    }
    if key == "DELETE /api/v1/classes/{class_id}/students/{student_id}":
        values["student_id"] = w.victims["roles"].user_id  # the one the walk invited, not the learner
    for victim, person in w.victims.items():
        if f"/{victim}" in key:
            values["user_id"] = person.user_id
    return values


def _fill(key: str, w: World) -> str:
    method, path = key.split(" ", 1)
    values = _path_values(w, key)
    for name in [p.split("}")[0] for p in path.split("{")[1:]]:
        path = path.replace("{" + name + "}", values.get(name, str(uuid.uuid4())))
    return path


def _example(schema: dict[str, Any], spec: dict[str, Any], name: str, w: World) -> Any:
    """A minimal valid value of a schema: required fields only, ids from the world by name."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for options in ("anyOf", "oneOf"):
        if options in schema:
            return _example(next(s for s in schema[options] if s.get("type") != "null"), spec, name, w)
    if "allOf" in schema:
        return _example(schema["allOf"][0], spec, name, w)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {k: _example(v, spec, k, w) for k, v in schema.get("properties", {}).items()
                if k in schema.get("required", [])}
    if kind == "array":
        return [_example(schema.get("items", {}), spec, name, w) for _ in range(max(1, schema.get("minItems", 1)))]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return max(1.0, schema.get("minimum", 1.0))
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format", "")
        if fmt == "uuid":
            return w.ids.get(name, w.learner.user_id if name.endswith(("user_id", "student_id")) else str(uuid.uuid4()))
        if fmt == "date-time":
            return (datetime.now(UTC) + timedelta(days=2)).isoformat()
        if fmt == "email":
            return w.learner.email
        if fmt in ("uri", "url"):
            return "https://example.com/walk"
        return "walk" + "x" * max(0, schema.get("minLength", 0) - 4)
    return None


def _request(key: str, spec: dict[str, Any], w: World) -> dict[str, Any]:
    method, path = key.split(" ", 1)
    op = spec["paths"].get(path, {}).get(method.lower(), {})
    params: dict[str, Any] = {"min_position": w.position} if method == "GET" else {}
    params.update(PARAMS.get(key, {}))
    for p in op.get("parameters", []):
        if p["in"] == "query" and p.get("required"):
            params[p["name"]] = _example(p.get("schema", {}), spec, p["name"], w)
    kwargs: dict[str, Any] = {"params": params}
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        kwargs["json"] = _bodies(w).get(key) or _example(content["application/json"].get("schema", {}), spec, "body", w)
    elif content:
        kwargs["content"] = b"walk"
    if "/password" in key:
        kwargs["json"] = {"current_password": PASSWORD, "new_password": PASSWORD}
    return kwargs


def _bodies(w: World) -> dict[str, Any]:
    """Bodies the schema alone cannot give (a relation check needs a body its handler accepts)."""
    question = SAMPLES["true_false"]["question"]
    course = course_body("Access walk")
    policy = {"categories": {"quizzes": {"weight": 1}}, "letters": [{"letter": "A", "min": 0}]}
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    return {
        "PUT /api/v1/courses/{course_id}": {k: v for k, v in course.items() if k != "modules"},
        "PUT /api/v1/courses/{course_id}/syllabus": {"modules": w.ids["modules"]},
        "POST /api/v1/classes/{class_id}/students": {"user_id": w.victims["roles"].user_id},
        "POST /api/v1/question-banks/{bank_id}/questions": {"question": question},
        "PUT /api/v1/questions/{question_id}": {"question": question},
        "POST /api/v1/quizzes": {"title": "Walk", "class_id": w.ids["class_id"],
                                 "items": [{"question_id": w.ids["question_id"], "points": 1}]},
        "POST /api/v1/quizzes/{quiz_id}/versions/{version}/key-corrections/preview":
            {"question_id": w.ids["question_id"], "question": question},
        "POST /api/v1/quizzes/{quiz_id}/versions/{version}/key-corrections":
            {"question_id": w.ids["question_id"], "question": question},
        "PUT /api/v1/gradebooks/{scope_id}/policy": policy,
        "POST /api/v1/gradebooks/{scope_id}/policy/what-if": policy,
        "POST /api/v1/forums": {"scope": "class", "scope_id": w.ids["class_id"], "title": "Another"},
        "POST /api/v1/announcements": {"audience": "class", "scope_id": w.ids["class_id"], "title": "Hi",
                                       "body": "Hello"},
        "POST /api/v1/live-sessions/{session_id}/reschedule": {"starts_at": later, "duration_seconds": 1800},
        "POST /api/v1/live-sessions/{session_id}/messages": {"kind": "chat", "text": "hello"},
    }


def _expected(rule: Rule, caller: str) -> str:
    """'allow', or the status of the refusal."""
    if caller == ANONYMOUS:
        return "allow" if rule.public else "401"
    if caller == OWNER or (caller == CLASSMATE and rule.relation in MEMBER_RELATIONS):
        return "allow"
    roles = frozenset({"student"} if caller == CLASSMATE else {caller, "student"})  # every account is a student too
    if not rule.admits_role(roles):
        return "403"
    if rule.needs_relation(roles):
        return "/".join(str(s) for s in sorted(rule.refusals))
    return "allow"


def _callers(key: str, rule: Rule) -> list[str]:
    owned = rule.relation is not Relation.NONE and not any(p in key for p in PHANTOM)
    every = [ANONYMOUS, *ROLES] + ([OWNER, CLASSMATE] if owned else [])
    return sorted(every, key=lambda c: (_expected(rule, c) == "allow", c != OWNER))


def _who(w: World, key: str, rule: Rule, caller: str) -> Person | None:
    if caller == ANONYMOUS:
        return None
    if caller == CLASSMATE:
        return w.classmate
    if caller == OWNER:
        victim = next((p for name, p in w.victims.items() if f"/{name}" in key), None)
        return victim if victim and rule.relation is Relation.SELF else getattr(w, HOLDERS[rule.relation])
    return w.strangers[caller]


def test_every_operation_in_the_schema_has_a_rule(app) -> None:
    spec_ops = {f"{m.upper()} {p}" for p, item in app.openapi()["paths"].items() for m in item}
    assert not spec_ops - set(POLICY), "operations without a line in api/platform/access/table.py"
    assert not set(POLICY) - set(operations(app)), "lines in the table for operations that do not exist"


def test_an_operation_without_a_rule_stops_the_app() -> None:
    app = FastAPI()
    app.get("/api/v1/undeclared")(lambda: {})
    with pytest.raises(RuntimeError, match='"GET /api/v1/undeclared": signed_in'):
        check_covers(app)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_walk_every_operation_with_every_role(app, client, infra, workers) -> None:
    with learner_following(infra, workers):  # the personalization routes wait for its estimates
        _walk(app, client)


def _walk(app, client) -> None:
    w = Builder(client, app).build()
    spec = app.openapi()
    keys = sorted((f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in item), key=_tier)
    wrong: list[str] = []
    calls = 0
    for key in keys:
        rule = POLICY[key]
        method, _ = key.split(" ", 1)
        for caller in _callers(key, rule):
            who = _who(w, key, rule, caller)
            if who is not None and any(e in key for e in ("/sessions/current", "/password")):
                Builder(client, app).login(who)  # a fresh login: this call may end it
            started = time.monotonic()
            r = client.request(method, _fill(key, w), headers=who.headers if who else {}, **_request(key, spec, w))
            calls += 1
            if time.monotonic() - started > 2:
                print(f"slow: {key} as {caller}: {time.monotonic() - started:.1f} s")
            expected, status = _expected(rule, caller), r.status_code
            if any(p in key for p in PHANTOM) and expected == "403":
                expected = "403/404"  # nothing to hide or show: the id names nothing
            if expected == "allow":
                ok = status not in (401, 403) or (status == 401 and key in CREDENTIAL_IN_BODY)
                ok = ok and not (caller in (OWNER, CLASSMATE) and status == 404)
                ok = ok and not (caller in (OWNER, CLASSMATE) and method == "GET" and status >= 400)
            else:
                ok = str(status) in expected.split("/")
            if not ok:
                wrong.append(f"{key} as {caller}: expected {expected}, got {status} {r.text[:160]}")
            if who is not None and status == 401 and caller != ANONYMOUS:
                Builder(client, app).login(who)
    print(f"{calls} calls over {len(keys)} operations")
    assert not wrong, f"{len(wrong)} of {calls} calls disagree with the table:\n" + "\n".join(wrong)
