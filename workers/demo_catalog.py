"""Demo catalog: categories and published courses, seeded from the Open University Learning
Analytics Dataset (module codes, presentations and their assessments) when it is present
in ../shared/datasets, plus two hand-written courses. Created once; a second load finds the
category tree and does nothing."""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any
from uuid import UUID

from commands import categories, course_review, courses, enrolment
from commands.course_content import LessonInput, ModuleInput
from commands.loading import find, user_by_email
from commands.pipeline import Actor, Deps, execute
from domain.categories import TREE_ID, CategoryTree

log = logging.getLogger(__name__)

OULAD = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "oulad"
CREATOR, MODERATOR = "creator@demo.skillhub.example.com", "moderator@demo.skillhub.example.com"
STUDENT = "alice@demo.skillhub.example.com"
# Module domains as published with the dataset (Kuzilek et al. 2017, Table 1).
OULAD_DOMAINS = {"AAA": "Social Sciences", "BBB": "Social Sciences", "GGG": "Social Sciences",
                 "CCC": "STEM", "DDD": "STEM", "EEE": "STEM", "FFF": "STEM"}
ASSESSMENT_NAMES = {"TMA": "Tutor-marked assignment", "CMA": "Computer-marked assignment", "Exam": "Final exam"}


def _actor(deps: Deps, email: str) -> Actor | None:
    user = user_by_email(deps, email)
    return Actor(user_id=user.id, roles=frozenset(user.roles)) if user else None


def _publish(deps: Deps, author: Actor, moderator: Actor, course: courses.CreateCourse) -> UUID:
    course_id = execute(courses.create_course, course, author, deps).data["course_id"]
    execute(course_review.submit_for_review, course_review.CourseRef(course_id=course_id), author, deps)
    execute(course_review.decide_review, course_review.DecideReview(course_id=course_id, approve=True), moderator, deps)
    return course_id


def _oulad_courses(category_ids: dict[str, UUID]) -> list[courses.CreateCourse]:
    """One course per OU module; a syllabus module per presentation, a lesson per assessment."""
    presentations: dict[str, dict[str, int]] = defaultdict(dict)
    with (OULAD / "courses.csv").open() as f:
        for row in csv.DictReader(f):
            presentations[row["code_module"]][row["code_presentation"]] = int(row["module_presentation_length"])
    assessments: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    with (OULAD / "assessments.csv").open() as f:
        for row in csv.DictReader(f):
            assessments[(row["code_module"], row["code_presentation"])].append(row)
    result = []
    for code, runs in sorted(presentations.items()):
        modules = [ModuleInput(title=f"Presentation {run} ({days} days)", lessons=[
            LessonInput(title=f"{ASSESSMENT_NAMES.get(a['assessment_type'], a['assessment_type'])}"
                              f" {a['id_assessment']}" + (f", due day {a['date']}" if a["date"] else ""),
                        content=f"Counts for **{a['weight']}%** of the module result.", estimated_minutes=60)
            for a in sorted(assessments[(code, run)], key=lambda a: int(a["date"] or 9999))
        ]) for run, days in sorted(runs.items())]
        domain = OULAD_DOMAINS.get(code, "STEM")
        result.append(courses.CreateCourse(
            title=f"Open University module {code}", level="intermediate", language="en-GB",
            summary=f"A {domain} module presented {len(runs)} times between 2013 and 2014.",
            description=f"Presentations: {', '.join(sorted(runs))}. From the Open University Learning"
                        " Analytics Dataset (CC BY 4.0).",
            category_ids=[category_ids[domain]], tags=["open university", domain.lower()], modules=modules,
        ))
    return result


def _maths_course(
    category_id: UUID, prerequisites: list[UUID], title: str, lessons: list[tuple[str, str]]
) -> courses.CreateCourse:
    return courses.CreateCourse(
        title=title, level="beginner", language="en", category_ids=[category_id], tags=["maths", "fractions"],
        summary="Parts of a whole, step by step.", prerequisites=prerequisites,
        description="Short lessons with worked examples.", modules=[ModuleInput(title="Lessons", lessons=[
            LessonInput(title=t, content=c, estimated_minutes=15) for t, c in lessons])],
    )


def load_demo_catalog(deps: Deps) -> int:
    """Returns how many courses were published now."""
    author, moderator = _actor(deps, CREATOR), _actor(deps, MODERATOR)
    tree = find(deps, CategoryTree, TREE_ID)
    if author is None or moderator is None or (tree is not None and tree.nodes):
        return 0
    ids: dict[str, Any] = {}
    for name, parent in (("Mathematics", None), ("Open University", None),
                         ("STEM", "Open University"), ("Social Sciences", "Open University")):
        cmd = categories.CreateCategory(name=name, parent_id=ids.get(parent))
        ids[name] = execute(categories.create_category, cmd, moderator, deps).data["category_id"]
    basics = _publish(deps, author, moderator, _maths_course(ids["Mathematics"], [], "Fractions, step by step", [
        ("Halves and quarters", "1/2 of a pie is **two quarters**."), ("Adding fractions", "1/2 + 1/3 = 5/6")]))
    _publish(deps, author, moderator, _maths_course(ids["Mathematics"], [basics], "Fractions in everyday life", [
        ("Recipes", "Halve a recipe: multiply every amount by 1/2."), ("Discounts", "25% off is 1/4 off.")]))
    published = 2
    if (OULAD / "courses.csv").exists():
        for course in _oulad_courses(ids):
            _publish(deps, author, moderator, course)
            published += 1
    else:
        log.info("demo: %s not found, skipping the Open University courses", OULAD)
    if (student := _actor(deps, STUDENT)) is not None:
        execute(enrolment.enrol, enrolment.EnrolInCourse(course_id=basics), student, deps)
    return published
