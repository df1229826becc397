"""The questions of published quiz versions, kept per process for checking saved answers.

Saving an answer would otherwise load the quiz (its whole history, a copy of every question)
for each answer of each student. A published version never changes shape: an answer-key
correction keeps the type and every id an answer may refer to (domain/quizzes.py), so a copy
taken once serves to check answers for good. Grading always uses the quiz itself, with its
current key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any
from uuid import UUID

from commands.loading import load
from commands.pipeline import Deps
from domain.quizzes import Quiz

KEPT = 64  # versions; a few hundred KiB each at most (commands/assessment/quizzes.py)
_versions: OrderedDict[tuple[UUID, int], dict[str, dict[str, Any]]] = OrderedDict()
_lock = threading.Lock()


def questions_of(deps: Deps, quiz_id: UUID, version: int) -> dict[str, dict[str, Any]]:
    key = (quiz_id, version)
    with _lock:
        found = _versions.get(key)
        if found is not None:
            _versions.move_to_end(key)
            return found
    found = load(deps, Quiz, quiz_id, "quiz", read_only=True).published(version)["questions"]
    with _lock:
        _versions[key] = found
        while len(_versions) > KEPT:
            _versions.popitem(last=False)
    return found
