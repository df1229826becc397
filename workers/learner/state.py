"""What the learner worker knows, built from the log alone (so a replay rebuilds it exactly):
the knowledge-tracing model, the skills of every published quiz question, the attempts
still open, and the skill map (workers/learner/skill_map.py). An answer is one graded question of a submitted attempt, in the order the attempt
showed them; blank and still-ungraded (essay) answers teach nothing and are left out.
The whole object pickles: it is the checkpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.attempts import Attempt
from domain.grading import CORRECT, PENDING, UNANSWERED
from domain.quizzes import Quiz
from workers.learner import skill_map
from workers.learner.tracing import KnowledgeTracer

WATCHED = (Quiz.Published, Quiz.KeyCorrected, Attempt.Started, Attempt.Submitted, *skill_map.EVENTS)
LAYOUT = 2  # raise when what the state holds changes: an older checkpoint is dropped and the log replayed


@dataclass(frozen=True)
class Answer:
    student_id: UUID
    question_id: str
    skills: tuple[str, ...]
    correct: bool
    at: datetime
    position: int


@dataclass
class OpenAttempt:
    student_id: UUID
    quiz_id: UUID
    quiz_version: int
    question_ids: list[str]
    started_at: datetime


def skills_of(question: dict[str, Any]) -> tuple[str, ...]:
    """Matched without regard to case, as the question bank's draws do."""
    return tuple(dict.fromkeys(s.lower() for s in question.get("skills", [])))


class LearnerState:
    def __init__(self) -> None:
        self.tracer = KnowledgeTracer()
        self.question_skills: dict[tuple[UUID, int], dict[str, tuple[str, ...]]] = {}
        self.open: dict[UUID, OpenAttempt] = {}
        self.skill_map = skill_map.SkillMapState()
        self.layout = LAYOUT
        self.position = 0  # the last log position applied

    def apply(self, event: Any, position: int) -> list[Answer]:
        """Apply one event; returns the answers it held, already learned."""
        answers: list[Answer] = []
        if isinstance(event, Quiz.Published):
            self.question_skills[(event.originator_id, event.quiz_version)] = {
                qid: skills_of(q) for qid, q in event.snapshot["questions"].items()}
        elif isinstance(event, Quiz.KeyCorrected):
            skills = self.question_skills.setdefault((event.originator_id, event.quiz_version), {})
            skills[event.question_id] = skills_of(event.question)
        elif isinstance(event, Attempt.Started):
            self.open[event.originator_id] = OpenAttempt(
                event.student_id, event.quiz_id, event.quiz_version,
                [q["question_id"] for q in event.questions], event.started_at)
        elif isinstance(event, Attempt.Submitted):
            attempt = self.open.pop(event.originator_id, None)
            if attempt is not None:
                answers = self._answers(attempt, event, position)
        self.position = position
        for a in answers:
            self.tracer.learn_one(a.student_id, a.question_id, a.skills, a.correct)
        return answers

    def _answers(self, attempt: OpenAttempt, event: Attempt.Submitted, position: int) -> list[Answer]:
        skills = self.question_skills.get((attempt.quiz_id, attempt.quiz_version), {})
        return [Answer(attempt.student_id, qid, skills.get(qid, ()), event.grades[qid]["state"] == CORRECT,
                       event.submitted_at, position)
                for qid in attempt.question_ids
                if qid in event.grades and event.grades[qid]["state"] not in (PENDING, UNANSWERED)]

    def mastery(self, student_id: UUID, skill: str) -> float:
        return self.tracer.predict_one(student_id, None, (skill,))
