"""Knowledge tracing that learns one answer at a time: P(the student's next answer on this item
and these skills is correct).

A logistic regression (river) on sparse features in the spirit of PFA, logistic knowledge
tracing and Gervet et al.'s Best-LR:
- learned biases: one weight per item (its difficulty), per skill, and per student (their ability,
  learned as they answer, so a new student starts at the average);
- the student's prior successes and failures, in total, per skill and per item, scaled as they
  grow (log1p), with a weight per skill for the skill counts (PFA's per-skill learning rates);
- smoothed running success rates of the item, the skill and the student as log-odds (they carry a
  rarely seen item or a new student before its own weight has learned much);
- recency: whether the last answer on the skill and the last answer at all were right, and how
  many answers ago the skill was last practised.
The state is plain dicts of counts plus the river model, so it pickles whole (the checkpoint).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Sequence

from river import linear_model, optim

MODEL_VERSION = "kt-lr-1"  # raise when features or learning change: stored estimates name it


def _log_odds(successes: float, total: float, prior: float = 0.66, weight: float = 2.0) -> float:
    p = (successes + prior * weight) / (total + weight)
    return math.log(p / (1 - p))


class Counts:
    """Successes and answers of one thing (a student on a skill, an item, ...)."""

    __slots__ = ("right", "seen")

    def __init__(self) -> None:
        self.right, self.seen = 0, 0

    def add(self, correct: bool) -> None:
        self.right += int(correct)
        self.seen += 1


class KnowledgeTracer:
    def __init__(self, learning_rate: float = 0.2) -> None:
        # AdaGrad: a per-weight step that shrinks as the weight's feature recurs, so a rare item's
        # bias still moves a lot on its first answers (river's Adam steps every weight on each update).
        self.model = linear_model.LogisticRegression(optimizer=optim.AdaGrad(learning_rate), l2=0.0)
        self.items: dict[Hashable, Counts] = defaultdict(Counts)
        self.skills: dict[Hashable, Counts] = defaultdict(Counts)
        self.students: dict[Hashable, Counts] = defaultdict(Counts)
        self.student_skill: dict[tuple[Hashable, Hashable], Counts] = defaultdict(Counts)
        self.student_item: dict[tuple[Hashable, Hashable], Counts] = defaultdict(Counts)
        self.last_on_skill: dict[tuple[Hashable, Hashable], tuple[int, bool]] = {}  # (answer number, right)
        self.last_answer: dict[Hashable, bool] = {}
        self.answers = 0  # answers learned: the model's age

    def features(self, student: Hashable, item: Hashable | None, skills: Sequence[Hashable]) -> dict[str, float]:
        """Without an item: the student's chance on a typical question of the skills (mastery)."""
        own = self.students.get(student) or Counts()
        x: dict[str, float] = {
            f"student:{student}": 1.0,
            "student_right": math.log1p(own.right), "student_wrong": math.log1p(own.seen - own.right),
            "student_rate": _log_odds(own.right, own.seen, weight=5.0),
        }
        if student in self.last_answer:
            x["last_right"] = 1.0 if self.last_answer[student] else -1.0
        if item is not None:
            seen = self.items.get(item) or Counts()
            tried = self.student_item.get((student, item)) or Counts()
            x[f"item:{item}"] = 1.0
            x["item_rate"] = _log_odds(seen.right, seen.seen, weight=3.0)
            x["item_seen"] = math.log1p(seen.seen)
            x["item_right"], x["item_wrong"] = math.log1p(tried.right), math.log1p(tried.seen - tried.right)
        for skill in skills:
            x.update(self._skill_features(student, skill, own.seen, 1.0 / len(skills)))
        return x

    def _skill_features(self, student: Hashable, skill: Hashable, answered: int, share: float) -> dict[str, float]:
        done = self.student_skill.get((student, skill)) or Counts()
        overall = self.skills.get(skill) or Counts()
        right, wrong = math.log1p(done.right), math.log1p(done.seen - done.right)
        x = {f"skill:{skill}": share, f"skill_right:{skill}": share * right, f"skill_wrong:{skill}": share * wrong,
             "skill_right": share * right, "skill_wrong": share * wrong,
             "skill_rate": share * _log_odds(overall.right, overall.seen, weight=5.0),
             "own_skill_rate": share * _log_odds(done.right, done.seen, prior=0.66, weight=2.0)}
        last = self.last_on_skill.get((student, skill))
        if last is not None:
            x["skill_last_right"] = share * (1.0 if last[1] else -1.0)
            x["skill_gap"] = share * math.log1p(answered - last[0])
        else:
            x["skill_new"] = share
        return x

    def predict_one(self, student: Hashable, item: Hashable | None, skills: Sequence[Hashable]) -> float:
        return self.model.predict_proba_one(self.features(student, item, skills))[True]

    def learn_one(self, student: Hashable, item: Hashable, skills: Sequence[Hashable], correct: bool) -> None:
        """Learn from the answer with the features it had before, then count it."""
        self.model.learn_one(self.features(student, item, skills), bool(correct))
        own = self.students[student]
        for skill in skills:
            self.student_skill[(student, skill)].add(correct)
            self.skills[skill].add(correct)
            self.last_on_skill[(student, skill)] = (own.seen + 1, bool(correct))
        self.items[item].add(correct)
        self.student_item[(student, item)].add(correct)
        own.add(correct)
        self.last_answer[student] = bool(correct)
        self.answers += 1

    def skill_counts(self, student: Hashable, skill: Hashable) -> Counts:
        return self.student_skill.get((student, skill)) or Counts()
