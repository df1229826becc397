"""The demo teacher's quizzes for the demo class: a bank of fraction questions of several types,
"Fractions check" (feedback after submission, with an essay for the grading queue) and
"Fractions practice" (immediate feedback), both published, and Alice's submitted attempt at the
check. Loaded item by item, each found by its title when an earlier load made it: loading again
makes only what is missing (after an interrupted load, say) and changes nothing else."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.assessment import attempts, question_bank, quizzes
from commands.assessment.question_specs import SPEC
from commands.loading import user_by_email
from commands.pipeline import Actor, Deps, execute
from projections.assessment.attempts import attempts as attempts_projection
from projections.assessment.attempts_queries import attempts_of
from projections.assessment.question_bank import (
    question_bank as question_bank_projection,
)
from projections.assessment.question_bank_queries import banks_of, questions
from projections.assessment.quizzes import quizzes as quizzes_projection
from projections.assessment.quizzes_queries import quizzes_for
from projections.classroom.classroom import classroom as classroom_projection
from projections.classroom.queries import classes_of
from projections.engine.tracking import log_head
from workers.demo.classroom import CLASS_NAME, TEACHER
from workers.demo.steps import catch_up

STUDENT = "alice@demo.skillhub.example.com"
BANK_TITLE = "Fractions (demo)"
_SKILLS = {"skills": ["Fractions"], "tags": ["demo"]}
QUESTIONS: list[dict[str, Any]] = [
    {"type": "single_choice", "title": "Half plus a quarter", "prompt": "What is 1/2 + 1/4?", **_SKILLS,
     "general_feedback": "Write 1/2 as 2/4 first.",
     "options": [{"id": "a", "text": "3/4", "correct": True, "feedback": "Yes: 2/4 + 1/4."},
                 {"id": "b", "text": "2/6", "feedback": "Numerators and denominators are not added."},
                 {"id": "c", "text": "1/8"}]},
    {"type": "multiple_choice", "title": "Equal to one half", "prompt": "Which fractions equal 1/2?", **_SKILLS,
     "options": [{"id": "a", "text": "2/4", "correct": True}, {"id": "b", "text": "3/6", "correct": True},
                 {"id": "c", "text": "2/3"}, {"id": "d", "text": "1/3"}]},
    {"type": "true_false", "title": "Bigger denominator", "prompt": "1/8 is bigger than 1/4.", "correct": False,
     "feedback_true": "No: the more parts, the smaller each part.", "feedback_false": "Right.", **_SKILLS},
    {"type": "numeric", "title": "Three quarters as a decimal", "prompt": "Write 3/4 as a decimal number.", **_SKILLS,
     "answers": [{"value": 0.75, "tolerance": 0.001}, {"value": 0.75, "tolerance": 0.05, "credit": 0.5}]},
    {"type": "short_text", "title": "The top number", "prompt": "What is the top number of a fraction called?",
     **_SKILLS, "answers": [{"text": "numerator"}, {"text": "numerat.*", "regex": True, "credit": 0.5}]},
    {"type": "matching", "title": "Fractions and decimals", "prompt": "Match each fraction with its decimal.",
     **_SKILLS, "stems": [{"id": "s1", "text": "1/2", "choice_id": "c1"}, {"id": "s2", "text": "1/4", "choice_id": "c2"},
                          {"id": "s3", "text": "1/5", "choice_id": "c3"}],
     "choices": [{"id": "c1", "text": "0.5"}, {"id": "c2", "text": "0.25"}, {"id": "c3", "text": "0.2"},
                 {"id": "c4", "text": "0.4"}]},
    {"type": "ordering", "title": "Smallest first", "prompt": "Order from the smallest to the biggest.", **_SKILLS,
     "items": [{"id": "i1", "text": "1/8"}, {"id": "i2", "text": "1/4"}, {"id": "i3", "text": "1/2"},
               {"id": "i4", "text": "3/4"}]},
    {"type": "cloze", "title": "Pizza slices", "prompt": "A pizza in {{n}} slices; you eat 3 of them: that is {{f}}.",
     **_SKILLS, "blanks": [{"id": "n", "kind": "numeric", "answers": [{"value": 8}]},
                           {"id": "f", "kind": "short_text", "answers": [{"text": "3/8"}]}]},
    {"type": "essay", "title": "Explain equal fractions", "prompt": "Why are 2/4 and 1/2 the same amount?", **_SKILLS,
     "grader_info": "Look for a picture or the idea of splitting each part in two."},
]
QUIZZES = [
    ("Fractions check", {"feedback_mode": "after_submission", "attempts_allowed": 2, "pass_mark": 60,
                         "time_limit_seconds": 1200, "shuffle_options": True}, [q["title"] for q in QUESTIONS]),
    ("Fractions practice", {"feedback_mode": "immediate", "attempts_allowed": None},
     ["Half plus a quarter", "Bigger denominator", "Three quarters as a decimal", "Smallest first"]),
]
# Alice's answers at the check, by question title: mostly right, one wrong, the essay for the teacher.
ANSWERS = {
    "Half plus a quarter": {"option_id": "a"}, "Equal to one half": {"option_ids": ["a"]},
    "Bigger denominator": {"value": True}, "Three quarters as a decimal": {"text": "0,75"},
    "The top number": {"text": "Numerator"}, "Fractions and decimals": {"matches": {"s1": "c1", "s2": "c2", "s3": "c4"}},
    "Smallest first": {"order": ["i1", "i2", "i3", "i4"]}, "Pizza slices": {"blanks": {"n": "8", "f": "3/8"}},
    "Explain equal fractions": {"text": "Cut each half into two quarters: two of them fill the same half."},
}


def _actor(deps: Deps, email: str) -> Actor | None:
    user = user_by_email(deps, email)
    return Actor(user_id=user.id, roles=frozenset(user.roles)) if user else None


def _bank(deps: Deps, teacher: Actor) -> tuple[UUID, dict[str, UUID]]:
    """The demo bank and its questions by title, as far as an earlier load got."""
    found = next((b["bank_id"] for b in banks_of(deps.pool, [teacher.user_id]) if b["title"] == BANK_TITLE), None)
    if found is None:
        found = execute(question_bank.create_bank, question_bank.CreateBank(title=BANK_TITLE), teacher, deps).data["bank_id"]
    titles: dict[str, UUID] = {}
    cursor = None
    while True:
        page = questions(deps.pool, found, limit=200, cursor=cursor)
        titles.update({q["title"]: q["question_id"] for q in page["items"]})
        if (cursor := page["next_cursor"]) is None:
            return found, titles


def _quiz(deps: Deps, teacher: Actor, class_id: UUID, existing: dict[str, dict[str, Any]], title: str,
          settings: dict[str, Any], items: list[UUID]) -> UUID:
    """The quiz, created and published as far as still needed."""
    quiz = existing.get(title)
    if quiz is None:
        cmd = quizzes.CreateQuiz(class_id=class_id, title=title, items=[{"question_id": q} for q in items], **settings)
        quiz = {"quiz_id": execute(quizzes.create_quiz, cmd, teacher, deps).data["quiz_id"], "latest_version": 0}
    if not quiz["latest_version"]:
        execute(quizzes.publish_quiz, quizzes.QuizRef(quiz_id=quiz["quiz_id"]), teacher, deps)
    return quiz["quiz_id"]


def _attempt(deps: Deps, student: Actor, quiz_id: UUID, titles: dict[UUID, str]) -> None:
    """Alice's submitted attempt. One an interrupted load left open is submitted with what it holds
    (its time limit may have passed meanwhile)."""
    made = attempts_of(deps.pool, student.user_id, quiz_id=quiz_id, limit=1, cursor=None)["items"]
    if not made:
        started = execute(attempts.start_attempt, attempts.StartAttempt(quiz_id=quiz_id), student, deps).data
        for question in started["questions"]:
            question_id = UUID(str(question["question_id"]))
            cmd = attempts.SaveAnswer(attempt_id=started["attempt_id"], question_id=question_id,
                                      answer=ANSWERS[titles[question_id]])
            execute(attempts.save_answer, cmd, student, deps)
        made = [{"attempt_id": started["attempt_id"], "submitted_at": None}]
    if made[0]["submitted_at"] is None:
        execute(attempts.submit_attempt, attempts.AttemptRef(attempt_id=made[0]["attempt_id"]), student, deps)


def load_demo_assessment(deps: Deps) -> bool:
    """Returns whether anything was made now."""
    teacher = _actor(deps, TEACHER)
    if teacher is None:
        return False
    catch_up(deps, classroom_projection, question_bank_projection, quizzes_projection, attempts_projection)
    mine = classes_of(deps.pool, teacher.user_id, limit=200, cursor=None)["items"]
    class_id = next((c["class_id"] for c in mine if c["name"] == CLASS_NAME and c["role"] == "teacher"), None)
    if class_id is None:
        return False
    before = log_head(deps.pool)
    bank_id, by_title = _bank(deps, teacher)
    for question in QUESTIONS:
        if question["title"] not in by_title:
            cmd = question_bank.AddQuestion(bank_id=bank_id, question=SPEC.validate_python(question))
            by_title[question["title"]] = execute(question_bank.add_question, cmd, teacher, deps).data["question_id"]
    existing = {q["title"]: q for q in quizzes_for(deps.pool, class_id, published_only=False, limit=200, cursor=None)["items"]}
    quiz_ids = [_quiz(deps, teacher, class_id, existing, title, settings, [by_title[t] for t in wanted])
                for title, settings, wanted in QUIZZES]
    if (student := _actor(deps, STUDENT)) is not None:
        _attempt(deps, student, quiz_ids[0], {by_title[t]: t for t in QUIZZES[0][2]})
    return log_head(deps.pool) != before
