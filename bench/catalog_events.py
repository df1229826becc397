"""Bulk catalog history for the search benchmark, built through the domain classes.

Per course: created (with a syllabus), submitted, published by a moderator: 3 events, saved
ten courses at a time (a save stays far below the size at which inserts hang). Words
come from a fixed vocabulary with a Zipf-like skew, so some words match thousands of courses
and others a handful, as in a real catalog. Some enrolments give "popular" something to sort.
"""

from __future__ import annotations

import random
import time
from typing import Any
from uuid import UUID, uuid4

from adapters.events.event_store import EventStore
from domain.catalog import Course, Level
from domain.categories import TREE_ID, CategoryTree
from domain.enrolment import Enrolment
from domain.event_conventions import Cause, caused_by

TOPICS = (
    "python data science machine learning statistics algebra calculus geometry physics chemistry biology"
    " history philosophy economics finance accounting marketing design drawing painting music guitar piano"
    " photography writing poetry grammar spanish french german japanese chinese cooking baking nutrition"
    " fitness yoga meditation psychology sociology law ethics networks security cloud databases sql web"
    " javascript rust golang testing devops linux kubernetes robotics electronics astronomy geology ecology"
    " climate energy agriculture architecture management leadership negotiation public speaking teaching"
).split()
FILLER = (
    "learn practice build understand explore apply project example exercise lesson skill method theory"
    " introduction advanced basics complete guide hands-on real world step by from zero to hero with and"
    " for the of in on your first modern practical essential fundamentals deep dive tools techniques"
).split()
LANGUAGES = ["en"] * 16 + ["en-GB", "fr", "de", "es"]


def _words(rng: random.Random, n: int) -> str:
    # Topic words follow a Zipf-like popularity (the first is the most common); filler words are even.
    return " ".join(
        TOPICS[min(int(rng.paretovariate(1.0)) - 1, len(TOPICS) - 1)] if rng.random() < 0.4
        else rng.choice(FILLER) for _ in range(n)
    )


def _course(rng: random.Random, owner: UUID, categories: list[UUID], i: int) -> Course:
    modules = [{"module_id": uuid4(), "title": f"Module {m + 1}", "lessons": [
        {"lesson_id": uuid4(), "title": _words(rng, 4), "content": _words(rng, 40), "media_id": None,
         "estimated_minutes": rng.randint(5, 30)} for _ in range(rng.randint(2, 6))]} for m in range(rng.randint(1, 4))]
    details = {
        "title": f"{_words(rng, rng.randint(3, 6)).title()} {i}", "summary": _words(rng, rng.randint(12, 20)),
        "description": _words(rng, rng.randint(80, 200)), "level": rng.choice(list(Level)).value,
        "language": rng.choice(LANGUAGES), "category_ids": rng.sample(categories, rng.randint(1, 2)),
        "tags": rng.sample(TOPICS, 3), "prerequisites": [], "estimated_minutes": None,
    }
    return Course.create(uuid4(), owner, details, modules)


def load_catalog(store: EventStore, courses: int, enrolments: int, per_save: int = 10, seed: int = 7) -> dict[str, Any]:
    """Write the history; returns counts, category ids and timings."""
    rng = random.Random(seed)
    author, moderator = uuid4(), uuid4()
    t0 = time.perf_counter()
    with caused_by(Cause(moderator, uuid4())):
        tree = CategoryTree.plant()
        tops = [uuid4() for _ in range(5)]
        for n, top in enumerate(tops):
            tree.create(top, f"Area {n}", None)
            for s in range(3):
                tree.create(uuid4(), f"Area {n}.{s}", top)
    store.record(tree)
    leaf_ids = list(tree.nodes)
    course_ids, events = [], 1 + len(leaf_ids)
    for start in range(0, courses, per_save):
        batch = []
        for i in range(start, min(start + per_save, courses)):
            with caused_by(Cause(author, uuid4())):
                course = _course(rng, author, leaf_ids, i)
                course.submit_for_review()
            with caused_by(Cause(moderator, uuid4())):
                course.approve(moderator)
            batch.append(course)
        store.record(*batch)
        course_ids += [c.id for c in batch]
        events += 3 * len(batch)
    popular = course_ids[: max(1, len(course_ids) // 20)]  # a few courses get most students
    for start in range(0, enrolments, 200):  # small events: many per save
        batch = []
        for _ in range(start, min(start + 200, enrolments)):
            student, pick = uuid4(), popular if rng.random() < 0.7 else course_ids
            with caused_by(Cause(student, uuid4())):
                batch.append(Enrolment.enrol(student, rng.choice(pick)))
        store.record(*batch)
        events += len(batch)
    return {"events": events, "seconds": time.perf_counter() - t0, "tree_id": TREE_ID,
            "top_categories": tops, "course_ids": course_ids}
