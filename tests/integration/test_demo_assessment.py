"""The demo loads a question bank and two published quizzes for the demo class (one with
immediate feedback) and Alice's submitted attempt, and loading it again adds nothing."""

from __future__ import annotations

from commands.loading import user_by_email
from commands.pipeline import deps_for
from projections.assessment.attempts import attempts
from projections.assessment.attempts_queries import attempts_of
from projections.assessment.question_bank import question_bank
from projections.assessment.question_bank_queries import banks_of, questions
from projections.assessment.quizzes import quizzes
from projections.assessment.quizzes_queries import quizzes_for
from projections.classroom.queries import classes_of
from workers.demo.assessment import BANK_TITLE, QUESTIONS, STUDENT, load_demo_assessment
from workers.demo.classroom import TEACHER
from workers.demo.loader import load_demo
from workers.demo.steps import catch_up


def _assessment_events(infra) -> int:
    with infra.pool.connection() as conn:
        return conn.execute(
            "SELECT count(*) AS n FROM skillhub_events WHERE topic LIKE ANY (%s)",
            (["domain.question_bank:%", "domain.quizzes:%", "domain.attempts:%"],),
        ).fetchone()["n"]


def test_demo_quizzes_are_loaded_once(fresh_infra):
    load_demo(fresh_infra)
    deps = deps_for(fresh_infra)
    made = _assessment_events(fresh_infra)
    load_demo(fresh_infra)
    assert not load_demo_assessment(deps)
    assert _assessment_events(fresh_infra) == made > 0
    catch_up(deps, question_bank, quizzes, attempts)
    teacher, alice = user_by_email(deps, TEACHER), user_by_email(deps, STUDENT)
    [bank] = [b for b in banks_of(deps.pool, [teacher.id]) if b["title"] == BANK_TITLE]
    written = questions(deps.pool, bank["bank_id"], limit=50, cursor=None)["items"]
    assert sorted(q["type"] for q in written) == sorted(q["type"] for q in QUESTIONS)
    [demo_class] = classes_of(deps.pool, teacher.id, limit=10, cursor=None)["items"]
    listed = quizzes_for(deps.pool, demo_class["class_id"], published_only=True, limit=10, cursor=None)["items"]
    modes = {q["title"]: q["published_settings"]["feedback_mode"] for q in listed}
    assert modes == {"Fractions check": "after_submission", "Fractions practice": "immediate"}
    [attempt] = attempts_of(deps.pool, alice.id, quiz_id=None, limit=10, cursor=None)["items"]
    assert attempt["quiz_title"] == "Fractions check" and attempt["submitted_at"] is not None
    assert attempt["pending"] == 1  # the essay waits in the teacher's grading queue
    assert 0 < attempt["score"] < attempt["max_score"]
