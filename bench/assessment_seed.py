"""Data for bench/assessment.py: people and a class recorded straight into the event store
(registering through the API would mostly time argon2), quizzes written through the commands,
and 10,000 submitted attempts generated from the ASSISTments 2009 answers."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import polars as pl

from adapters.infrastructure import Infrastructure
from adapters.security.passwords import hash_password
from adapters.security.tokens import AccessClaims, TokenIssuer
from commands.assessment import question_bank, quizzes
from commands.pipeline import Actor, Deps, execute
from domain.attempts import Attempt
from domain.classroom import SchoolClass
from domain.event_conventions import Cause, caused_by
from domain.identity import Role, User
from domain.quiz_layout import layout
from domain.scoring import grade_attempt
from domain.sessions import Session

ASSISTMENTS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "assistments09" / "preprocessed_data_train.csv"
_HASH = hash_password("bench password, never used to log in")


def seed_people(infra: Infrastructure, count: int, role: Role | None = None, per_save: int = 100) -> list[tuple[UUID, UUID]]:
    """(user id, session id) of `count` new people, each logged in once."""
    people = []
    with caused_by(Cause(None, uuid4())):
        for start in range(0, count, per_save):
            batch: list[Any] = []
            for i in range(start, min(start + per_save, count)):
                user = User.register(uuid4(), f"bench-{uuid4().hex[:12]}@bench.example.com", f"Bench {i}", _HASH)
                if role:
                    user.grant_role(role)
                session = Session.start(uuid4(), user.id, uuid4().hex, datetime.now(UTC) + timedelta(days=1), "127.0.0.1", "bench")
                batch += [user, session]
                people.append((user.id, session.id))
            infra.store.record(*batch)
    return people


def access_token(issuer: TokenIssuer, person: tuple[UUID, UUID], roles: list[str]) -> str:
    return issuer.issue(AccessClaims(person[0], person[1], roles), datetime.now(UTC))


def open_class(infra: Infrastructure, teacher_id: UUID, students: list[UUID]) -> UUID:
    with caused_by(Cause(teacher_id, uuid4())):
        school_class = SchoolClass.open(uuid4(), teacher_id, "Bench class", "", "")
        for student_id in students:
            school_class.invite(student_id)
    infra.store.record(school_class)
    return school_class.id


def write_quiz(deps: Deps, teacher: Actor, class_id: UUID, questions: list[dict[str, Any]], **settings: Any) -> tuple[UUID, list[str]]:
    """Bank, questions and a published quiz, through the commands as a teacher would."""
    bank_id = execute(question_bank.create_bank, question_bank.CreateBank(title="Bench bank"), teacher, deps).data["bank_id"]
    ids = [str(execute(question_bank.add_question, question_bank.AddQuestion(bank_id=bank_id, question=q), teacher, deps)
               .data["question_id"]) for q in questions]
    cmd = quizzes.CreateQuiz(title="Bench quiz", class_id=class_id, items=[{"question_id": i} for i in ids], **settings)
    quiz_id = execute(quizzes.create_quiz, cmd, teacher, deps).data["quiz_id"]
    execute(quizzes.publish_quiz, quizzes.QuizRef(quiz_id=quiz_id), teacher, deps)
    return quiz_id, ids


def choice_question(title: str, skill: str) -> dict[str, Any]:
    return {"type": "single_choice", "title": title, "prompt": f"{title}: which is right?", "skills": [skill],
            "options": [{"id": "a", "text": "right", "correct": True}, {"id": "b", "text": "near miss"},
                        {"id": "c", "text": "common error"}, {"id": "d", "text": "far off"}]}


def assistments_items(count: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The `count` most answered items (id, skill, share right) and every answer to them."""
    answers = pl.read_csv(ASSISTMENTS, separator="\t")
    items = (answers.group_by("item_id").agg(pl.len().alias("n"), pl.col("correct").mean().alias("p"),
                                             pl.col("skill_id").first()).sort(["n", "item_id"], descending=True).head(count))
    return items, answers


def _logit(p: float) -> float:
    p = min(max(p, 0.02), 0.98)
    return math.log(p / (1 - p))


def response_patterns(items: pl.DataFrame, answers: pl.DataFrame, attempts: int, seed: int) -> tuple[list[list[bool]], float]:
    """Right/wrong per item for each attempt. A real student's first answer to an item is used
    where there is one; the rest follows a Rasch model fitted to the data (the student's overall
    share right as ability, each item's share right as easiness). Returns the share of real answers."""
    rng = random.Random(seed)
    item_ids = items["item_id"].to_list()
    easiness = [_logit(p) for p in items["p"].to_list()]
    mean = _logit(answers["correct"].mean())
    ability = {row[0]: _logit(row[1]) - mean for row in answers.group_by("user_id").agg(pl.col("correct").mean())
               .filter(pl.col("user_id").is_not_null()).iter_rows()}
    known = {(u, i): c == 1 for u, i, c in answers.filter(pl.col("item_id").is_in(item_ids))
             .unique(["user_id", "item_id"], keep="first", maintain_order=True).select("user_id", "item_id", "correct").iter_rows()}
    users, patterns, real = sorted(ability), [], 0
    for _ in range(attempts):
        user = rng.choice(users)
        pattern = []
        for item, ease in zip(item_ids, easiness, strict=True):
            if (user, item) in known:
                real += 1
                pattern.append(known[(user, item)])
            else:
                pattern.append(rng.random() < 1 / (1 + math.exp(-(ability[user] + ease))))
        patterns.append(pattern)
    return patterns, real / (attempts * len(item_ids))


def bulk_attempts(infra: Infrastructure, quiz_id: UUID, snapshot: dict[str, Any], patterns: list[list[bool]],
                  question_ids: list[str], per_save: int = 10) -> Iterator[int]:
    """Records one submitted attempt per pattern (a new student each); yields events recorded per save.
    Wrong answers pick the distractors 50 / 30 / 20 %."""
    rng = random.Random(7)
    pending: list[Attempt] = []
    for number, pattern in enumerate(patterns):
        student = uuid4()
        now = datetime.now(UTC)
        with caused_by(Cause(student, uuid4())):
            attempt = Attempt.start(quiz_id, 1, student, 1, number, layout(snapshot, number), now, None, "after_submission")
            for question_id, right in zip(question_ids, pattern, strict=True):
                chosen = "a" if right else rng.choices("bcd", weights=(5, 3, 2))[0]
                attempt.save_answer(snapshot["questions"][question_id], question_id, {"option_id": chosen}, now)
            attempt.submit(grade_attempt(snapshot, attempt.layout, attempt.answers), now)
        pending.append(attempt)
        if len(pending) == per_save or number == len(patterns) - 1:
            infra.store.record(*pending)
            yield sum(len(question_ids) + 2 for _ in pending)
            pending = []
