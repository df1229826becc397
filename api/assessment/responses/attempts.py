"""What the attempt routes answer: an attempt's questions as its reader may see them, results,
grades and the essay grading queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.platform.common_responses import Count, Measure, Recorded


class Grade(BaseModel):
    fraction: Measure
    points: Measure
    max: Measure
    state: str


class Review(BaseModel):
    grade: Grade | None
    feedback: list[str]
    answer_key: Any = Field(description="null until the keys are released; shaped as the question type's answer")
    levels: dict[str, str] | None = Field(default=None, description="an essay's rubric levels, criterion -> level")
    comment: str | None = Field(default=None, description="an essay grader's comment")


class Choice(BaseModel):
    id: str
    text: str


class Blank(BaseModel):
    id: str
    kind: str = Field(description="choice, short_text or numeric")
    options: list[Choice] | None = Field(default=None, description="choice blanks")


class RubricLevel(BaseModel):
    id: str
    label: str
    points: Measure


class Criterion(BaseModel):
    id: str
    title: str
    levels: list[RubricLevel]


class ShownQuestion(BaseModel):
    """A question as a student sees it: no answer key. Which of the type's fields are present
    depends on `type` (domain/question_views.py)."""

    question_id: str
    points: Measure
    type: str
    title: str
    prompt: str
    options: list[Choice] | None = Field(default=None, description="single_choice, multiple_choice")
    units: list[str] | None = Field(default=None, description="numeric")
    stems: list[Choice] | None = Field(default=None, description="matching")
    choices: list[Choice] | None = Field(default=None, description="matching")
    items: list[Choice] | None = Field(default=None, description="ordering")
    blanks: list[Blank] | None = Field(default=None, description="cloze")
    response_template: str | None = Field(default=None, description="essay")
    rubric: list[Criterion] | None = Field(default=None, description="essay")


class AttemptQuestion(ShownQuestion):
    answer: Any = Field(description="the saved answer, null when none")
    review: Review | None


class AttemptStarted(Recorded):
    attempt_id: UUID
    number: Count
    quiz_version: Count
    deadline: datetime | None
    questions: list[ShownQuestion]


class AnswerSaved(Recorded):
    question_id: str
    review: Review | None = Field(default=None, description="with immediate feedback only")
    answered: Count | None = Field(default=None, description="a live exam's attempt: questions answered so far")


class Totals(BaseModel):
    score: Measure
    max_score: Measure
    percent: Measure
    pending: Count = Field(description="answers waiting for a person's grade")


class Result(Totals):
    passed: bool | None = Field(description="null while answers wait for a grade or without a pass mark")


class AttemptSubmitted(Recorded):
    reason: str
    submitted_at: datetime
    result: Result | None


class AttemptHead(BaseModel):
    attempt_id: UUID
    quiz_id: UUID
    quiz_version: Count
    student_id: UUID
    number: Count
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    submit_reason: str | None


class Attempt(AttemptHead):
    title: str
    status: str = Field(description="in_progress, overdue, awaiting_grading or graded")
    feedback_mode: str
    feedback_released: bool
    keys_released: bool
    result: Result | None
    questions: list[AttemptQuestion]


class MyAttempt(AttemptHead):
    quiz_title: str | None
    status: str
    result: Result | None = Field(description="null until the quiz releases feedback")


class QuizAttempt(AttemptHead):
    score: Measure | None
    max_score: Measure | None
    percent: Measure | None
    pending: Count
    display_name: str | None
    pass_mark: Measure | None
    status: str
    passed: bool | None


class EssayWaiting(BaseModel):
    attempt_id: UUID
    quiz_version: Count
    student_id: UUID
    display_name: str | None
    submitted_at: datetime | None
    question_id: str
    points: Measure
    answer: Any = Field(description="the student's answer ({text})")


class EssayGraded(Recorded):
    grade: Grade
    result: Totals
