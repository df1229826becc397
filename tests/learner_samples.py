"""Answer events for the learner tests and benchmark: published quizzes whose questions carry
skills, and submitted attempts graded right or wrong by each student's (seeded) ability."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from adapters.events.event_store import EventStore
from domain.attempts import Attempt
from domain.event_conventions import Cause, caused_by
from domain.quizzes import Audience, FeedbackMode, Quiz

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def publish_quiz(store: EventStore, skills_of: dict[str, list[str]]) -> UUID:
    """A quiz whose version 1 holds true/false questions with the given skills."""
    with caused_by(Cause(None, uuid4())):
        quiz = Quiz.create(uuid4(), Audience.CLASS, uuid4(), {"title": "practice"})
        questions = {qid: {"type": "true_false", "title": qid, "skills": skills, "correct": True}
                     for qid, skills in skills_of.items()}
        quiz.publish({"items": [{"question_id": q, "points": 1} for q in questions], "draws": [],
                      "questions": questions, "settings": {"feedback_mode": FeedbackMode.AFTER_SUBMISSION}})
        store.record(quiz)
    return quiz.id


def take_quiz(quiz_id: UUID, student_id: UUID, number: int, results: dict[str, bool | None],
              at: datetime, submit: bool = True) -> Attempt:
    """An attempt answering the questions in order: True right, False wrong, None left blank."""
    layout = [{"question_id": q, "points": 1, "order": None} for q in results]
    attempt = Attempt.start(quiz_id, 1, student_id, number, 0, layout, at, None, FeedbackMode.AFTER_SUBMISSION)
    if submit:
        grades = {q: {"state": "unanswered" if ok is None else "correct" if ok else "incorrect",
                      "points": float(bool(ok)), "max": 1.0} for q, ok in results.items()}
        attempt.submit(grades, at + timedelta(minutes=5))
    return attempt


def seed_answers(store: EventStore, students: int, skills: int = 3, questions_per_skill: int = 4,
                 attempts: int = 4, seed: int = 7) -> tuple[UUID, dict[str, list[str]], list[UUID]]:
    """Each student takes the quiz `attempts` times; right answers follow ability and practice."""
    rng = random.Random(seed)
    skills_of = {f"q{s}-{i}": [f"skill-{s}"] for s in range(skills) for i in range(questions_per_skill)}
    quiz_id = publish_quiz(store, skills_of)
    people = [UUID(int=rng.getrandbits(128)) for _ in range(students)]
    ability = {p: rng.uniform(0.3, 0.9) for p in people}
    for number in range(1, attempts + 1):
        batch = []
        with caused_by(Cause(None, uuid4())):
            for k, student in enumerate(people):
                chance = min(0.97, ability[student] + 0.05 * number)
                results = {q: rng.random() < chance for q in skills_of}
                batch.append(take_quiz(quiz_id, student, number, results, START + timedelta(days=number, minutes=k)))
            store.record(*batch)
    return quiz_id, skills_of, people
