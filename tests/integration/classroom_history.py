"""A varied classroom history: classes opened, join codes issued and replaced, students joining
by code or invitation, removed and invited back, classes archived, a teacher erased; the saves
interleaved at random."""

from __future__ import annotations

import random
from collections.abc import Iterator
from uuid import uuid4

from adapters.infrastructure import Infrastructure
from domain.classroom import SchoolClass
from domain.event_conventions import Cause, caused_by
from domain.identity import User
from tests.integration.conftest import _HASH


def _class_steps(i: int, teacher: User, students: list, rng: random.Random) -> Iterator[SchoolClass]:
    school_class = SchoolClass.open(uuid4(), teacher.id, f"Class {i}", f'about "{i}"', "2026")
    yield school_class
    code = uuid4()
    school_class.issue_join_code(code, f"CODE{i}")
    yield school_class
    joined = rng.sample(students, 6)
    for student in joined:
        if rng.random() < 0.5:
            school_class.join(student, code)
        else:
            school_class.invite(student)
        yield school_class
    for student in joined[:2]:
        school_class.remove(student)
        yield school_class
    school_class.invite(joined[0])  # back, by invitation
    yield school_class
    school_class.issue_join_code(uuid4(), f"NEW{i}")
    yield school_class
    if i % 3 == 0:
        school_class.archive()
        yield school_class


def record_classroom_history(infra: Infrastructure, classes: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    students = [uuid4() for _ in range(20)]
    with caused_by(Cause(None, uuid4())):
        teachers = [User.register(uuid4(), f"t{i}-{uuid4().hex[:6]}@class.example.com", f"T {i}", _HASH)
                    for i in range(3)]
        infra.store.record(*teachers)
        pending = [_class_steps(i, teachers[i % 3], students, rng) for i in range(classes)]
        erase_at, erased = len(pending) // 2, False
        while pending:
            changed = {}
            for steps in rng.sample(pending, min(len(pending), rng.randint(1, 4))):
                aggregate = next(steps, None)
                if aggregate is None:
                    pending.remove(steps)
                    continue
                changed[aggregate.id] = aggregate
            if changed:
                infra.store.record(*changed.values())
            if len(pending) == erase_at and not erased:
                teachers[0].erase()  # mid-history: the teacher's classes opened later keep their names
                infra.store.record(teachers[0])
                erased = True
