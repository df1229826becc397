"""A small world for the access-policy walk (tests/api/test_access_policy.py): one person per role
who holds no relation to anything, and owners who hold every relation the table names, each
relation on a real resource whose id fills the path parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from commands.identity.roles import ChangeRole, grant_role
from commands.pipeline import SYSTEM, execute
from domain.identity import Role
from tests.api.catalog.conftest import course_body, lesson_ids
from tests.api.conftest import PASSWORD, Person, unique_email
from tests.assessment_samples import SAMPLES

API = "/api/v1"


@dataclass
class World:
    strangers: dict[str, Person]  # role name -> a person with that role (and student's) and no relation
    author: Person  # creator owning the course
    teacher: Person  # teacher of the class, its forum, quiz, bank, media and live session
    learner: Person  # student of the class, enrolled in the course, the attempt's student, post author
    classmate: Person  # another student of the class and the course: a member, but owns nothing
    victims: dict[str, Person]  # people an allowed call may end (erasure, deactivation, roles)
    ids: dict[str, str] = field(default_factory=dict)
    position: int = 0


class Builder:
    def __init__(self, client: Any, app: Any) -> None:
        self.client, self.deps, self.position = client, app.state.deps, 0

    def person(self, *roles: Role) -> Person:
        email = unique_email(roles[0].value if roles else "student")
        r = self.client.post(f"{API}/users", json={"email": email, "password": PASSWORD, "display_name": "Walker"})
        assert r.status_code == 201, r.text
        for role in set(roles) - {Role.STUDENT}:  # every account starts as a student
            execute(grant_role, ChangeRole(user_id=r.json()["user_id"], role=role), SYSTEM, self.deps)
        return self.login(Person(r.json()["user_id"], email, {}, {}, 0))

    def login(self, person: Person) -> Person:
        r = self.client.post(f"{API}/sessions", json={"email": person.email, "password": PASSWORD})
        assert r.status_code == 201, r.text
        person.tokens, person.headers = r.json(), {"Authorization": f"Bearer {r.json()['access_token']}"}
        return person

    def ok(self, who: Person, method: str, path: str, status: int = 200, **kwargs: Any) -> dict[str, Any]:
        kwargs["headers"] = {**who.headers, **kwargs.get("headers", {})}
        r = self.client.request(method, f"{API}{path}", **kwargs)
        assert r.status_code == status, f"{method} {path}: {r.status_code} {r.text}"
        body = r.json()
        self.position = max(self.position, body.get("position", 0) if isinstance(body, dict) else 0)
        return body

    def build(self) -> World:
        strangers = {role.value: self.person(role) for role in Role}
        author, teacher, learner, reviewer = self.person(Role.CREATOR), self.person(Role.TEACHER), self.person(), \
            self.person(Role.MODERATOR)
        victims = {"deactivation": self.person(), "erasure": self.person(), "roles": self.person()}
        w = World(strangers, author, teacher, learner, self.person(), victims)
        ids = w.ids
        # The course: published, the learner enrolled.
        body = course_body("Access walk")
        ids["course_id"] = self.ok(author, "POST", "/courses", 201, json=body)["course_id"]
        ids["course_lesson_id"], ids["modules"] = lesson_ids(body)[0], body["modules"]
        self.ok(author, "POST", f"/courses/{ids['course_id']}/submission")
        self.ok(reviewer, "POST", f"/courses/{ids['course_id']}/review", json={"approve": True})
        for student in (learner, w.classmate):
            self.ok(student, "POST", f"/courses/{ids['course_id']}/enrolment", 201)
        ids["category_id"] = self.ok(reviewer, "POST", "/categories", 201, json={"name": "Walk"})["category_id"]
        # The class with the learner, a published lesson, media.
        opened = self.ok(teacher, "POST", "/classes", 201, json={"name": "Walk class"})
        ids["class_id"] = opened["class_id"]
        for student in (learner, w.classmate):
            self.ok(student, "POST", "/classes/join", json={"code": opened["join_code"]})
        ids["class_lesson_id"] = self.ok(teacher, "POST", f"/classes/{ids['class_id']}/lessons", 201,
                                         json={"title": "Lesson", "content": "Text"})["lesson_id"]
        self.ok(teacher, "POST", f"/classes/{ids['class_id']}/lessons/{ids['class_lesson_id']}/publication", json={})
        pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
        ids["media_id"] = self.ok(teacher, "POST", "/media", 201, content=pdf,
                                  headers={**teacher.headers, "Content-Type": "application/pdf",
                                           "X-Filename": "walk.pdf"})["media_id"]
        # A bank, a question, a published live-exam quiz of the class, the learner's attempt.
        ids["bank_id"] = self.ok(teacher, "POST", "/question-banks", 201, json={"title": "Walk bank"})["bank_id"]
        ids["question_id"] = self.ok(teacher, "POST", f"/question-banks/{ids['bank_id']}/questions", 201,
                                     json={"question": SAMPLES["true_false"]["question"]})["question_id"]
        ids["quiz_id"] = self.ok(teacher, "POST", "/quizzes", 201, json={
            "title": "Walk quiz", "class_id": ids["class_id"], "attempts_allowed": 3,
            "items": [{"question_id": ids["question_id"], "points": 1}]})["quiz_id"]
        self.ok(teacher, "POST", f"/quizzes/{ids['quiz_id']}/publication")
        ids["attempt_id"] = self.ok(learner, "POST", f"/quizzes/{ids['quiz_id']}/attempts", 201)["attempt_id"]
        # A class forum, the learner's thread and reply.
        ids["forum_id"] = self.ok(teacher, "POST", "/forums", 201, json={
            "scope": "class", "scope_id": ids["class_id"], "title": "Walk forum"})["forum_id"]
        thread = self.ok(learner, "POST", f"/forums/{ids['forum_id']}/threads", 201,
                         json={"title": "How do I walk?", "body": "One step at a time?"})
        ids["thread_id"] = thread["thread_id"]
        ids["post_id"] = self.ok(learner, "POST", f"/forum/threads/{ids['thread_id']}/posts", 201,
                                 json={"body": "Then another."})["post_id"]
        # A study session of the class, tomorrow.
        ids["session_id"] = self.ok(teacher, "POST", "/live-sessions", 201, json={
            "kind": "study", "class_id": ids["class_id"], "quiz_id": ids["quiz_id"], "title": "Walk session",
            "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(), "duration_seconds": 1800})["session_id"]
        # The learner's push subscription.
        ids["subscription_id"] = self.ok(learner, "POST", "/notifications/push-subscriptions", 201, json={
            "endpoint": "https://push.example.com/walk", "keys": {"p256dh": "B" * 87, "auth": "A" * 22}}
        ).get("subscription_id", "")
        w.position = self.position
        return w
