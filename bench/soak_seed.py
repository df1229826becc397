"""The world bench/soak.py runs in: published courses with lessons, classes with a teacher, a quiz
and a forum each, and students who can log in with a password. People go straight into the event
store with one precomputed password hash (hashing hundreds of passwords would only time argon2);
courses, quizzes, forums and the first threads go through the commands, as a teacher would."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from adapters.infrastructure import Infrastructure
from adapters.security.passwords import hash_password
from adapters.security.tokens import TokenIssuer
from bench import assessment_seed as seed
from bench.assessment import SPIKE_QUESTIONS
from commands.catalog import course_review, courses, enrolment
from commands.catalog.course_content import LessonInput, ModuleInput
from commands.forum import forums, posting
from commands.loading import find
from commands.pipeline import Actor, Deps, execute
from domain.catalog import Course, lesson_ids_of
from domain.email_claims import EmailClaim, email_claim_id
from domain.event_conventions import Cause, caused_by
from domain.identity import Role, User
from domain.sessions import Session

PASSWORD = "soak password 0123"
TOKEN_SECONDS = 6 * 3600  # the seeded tokens outlive the longest soak; a login's are refreshed


@dataclass
class Student:
    user_id: UUID
    email: str
    token: str
    class_index: int | None  # None for someone who registered during the soak
    position: int = 0  # the newest position of their own writes: reads wait for it (read-your-writes)
    enrolled: set[UUID] = field(default_factory=set)
    completed: set[UUID] = field(default_factory=set)
    attempt: tuple[UUID, list[dict[str, Any]]] | None = None  # open attempt and the questions left
    busy: bool = False
    # A login's tokens: the access token expires (15 minutes by default), the client refreshes it.
    refresh_token: str | None = None
    expires_at: float = float("inf")  # time.monotonic() when the access token expires


@dataclass
class SchoolClass:
    class_id: UUID
    teacher_token: str
    quiz_id: UUID
    forum_id: UUID
    thread_ids: list[UUID]


@dataclass
class World:
    courses: dict[UUID, list[UUID]]  # course id -> its lesson ids
    classes: list[SchoolClass]
    students: list[Student]


def _students(infra: Infrastructure, issuer: TokenIssuer, count: int, classes: int) -> list[Student]:
    password_hash = hash_password(PASSWORD)
    key = infra.settings.resolved_identifier_key()
    out: list[Student] = []
    with caused_by(Cause(None, uuid4())):
        for start in range(0, count, 100):
            batch: list[Any] = []
            for i in range(start, min(start + 100, count)):
                email = f"soak-{uuid4().hex[:12]}@bench.example.com"
                user = User.register(uuid4(), email, f"Soak student {i}", password_hash)
                session = Session.start(uuid4(), user.id, uuid4().hex, datetime.now(UTC) + timedelta(days=1),
                                        "127.0.0.1", "soak")
                batch += [user, EmailClaim.claim(email_claim_id(email, key), user.id), session]
                token = seed.access_token(issuer, (user.id, session.id), ["student"])
                out.append(Student(user.id, email, token, i % classes))
            infra.store.record(*batch)
    return out


def _course(deps: Deps, author: Actor, moderator: Actor, number: int, lessons: int) -> tuple[UUID, list[UUID]]:
    cmd = courses.CreateCourse(
        title=f"Soak course {number}", level="beginner", language="en", summary="Steady work, every day.",
        description="Lessons that take a few minutes each.", tags=["soak"],
        modules=[ModuleInput(title="Lessons", lessons=[
            LessonInput(title=f"Lesson {i}", content=f"Lesson {i} of course {number}: **read** and practise.",
                        estimated_minutes=10) for i in range(lessons)])])
    course_id = execute(courses.create_course, cmd, author, deps).data["course_id"]
    execute(course_review.submit_for_review, course_review.CourseRef(course_id=course_id), author, deps)
    execute(course_review.decide_review, course_review.DecideReview(course_id=course_id, approve=True), moderator, deps)
    return course_id, lesson_ids_of(find(deps, Course, course_id).published["modules"])


def _class(infra: Infrastructure, deps: Deps, issuer: TokenIssuer, teacher: tuple[UUID, UUID],
           students: list[Student], rng: random.Random) -> SchoolClass:
    actor = Actor(user_id=teacher[0], roles=frozenset({"student", "teacher"}))
    class_id = seed.open_class(infra, teacher[0], [s.user_id for s in students])
    quiz_id = seed.write_quiz(deps, actor, class_id, SPIKE_QUESTIONS[::2], attempts_allowed=None)[0]
    cmd = forums.CreateForum(scope="class", scope_id=class_id, title="Class forum")
    forum_id = execute(forums.create_forum, cmd, actor, deps).data["forum_id"]
    threads = []
    for n in range(5):
        author = Actor(user_id=rng.choice(students).user_id, roles=frozenset({"student"}))
        start = posting.StartThread(forum_id=forum_id, title=f"Question {n} about the homework",
                                    body=f"How do I start exercise {n}?", kind="question")
        threads.append(execute(posting.start_thread, start, author, deps).data["thread_id"])
    return SchoolClass(class_id, seed.access_token(issuer, teacher, ["student", "teacher"]), quiz_id, forum_id, threads)


def seed_world(infra: Infrastructure, deps: Deps, students: int, classes: int, course_count: int,
               lessons: int) -> World:
    issuer = TokenIssuer(infra.settings.resolved_secret_key(), TOKEN_SECONDS)
    rng = random.Random(3)
    author = Actor(user_id=seed.seed_people(infra, 1, Role.CREATOR)[0][0], roles=frozenset({"student", "creator"}))
    moderator = Actor(user_id=seed.seed_people(infra, 1, Role.MODERATOR)[0][0], roles=frozenset({"student", "moderator"}))
    course_lessons = dict(_course(deps, author, moderator, n, lessons) for n in range(course_count))
    people = _students(infra, issuer, students, classes)
    course_ids = list(course_lessons)
    for i, student in enumerate(people):  # one course each to begin with; the soak enrols them in more
        student.enrolled.add(course_ids[i % len(course_ids)])
        execute(enrolment.enrol, enrolment.EnrolInCourse(course_id=course_ids[i % len(course_ids)]),
                Actor(user_id=student.user_id, roles=frozenset({"student"})), deps)
    teachers = seed.seed_people(infra, classes, Role.TEACHER)
    school_classes = [_class(infra, deps, issuer, teacher, [s for s in people if s.class_index == i], rng)
                      for i, teacher in enumerate(teachers)]
    return World(course_lessons, school_classes, people)
