"""Demo catalog: categories and published courses, seeded from the Open University Learning
Analytics Dataset (module codes, presentations and their assessments) when it is present
in ../shared/datasets, plus two hand-written courses (the first lesson shows a video) and
Alice's enrolment. Loaded item by item: a category, a course (by title: created, submitted,
approved as far as still needed) and the enrolment are each made only when missing, so loading
again completes an interrupted load and otherwise changes nothing."""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any
from uuid import UUID

from commands.catalog import categories, course_review, courses, enrolment
from commands.catalog.course_content import LessonInput, ModuleInput
from commands.loading import find, user_by_email
from commands.pipeline import Actor, Deps, execute
from domain.catalog import Course, CourseStatus
from domain.categories import TREE_ID, CategoryTree
from domain.enrolment import Enrolment, enrolment_id
from projections.catalog.catalog import catalog
from projections.catalog.course_queries import authored_courses
from workers.demo.media import demo_video
from workers.demo.steps import catch_up, upload

log = logging.getLogger(__name__)

OULAD = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "oulad"
CREATOR, MODERATOR = "creator@demo.skillhub.example.com", "moderator@demo.skillhub.example.com"
STUDENT = "alice@demo.skillhub.example.com"
# Module domains as published with the dataset (Kuzilek et al. 2017, Table 1).
OULAD_DOMAINS = {"AAA": "Social Sciences", "BBB": "Social Sciences", "GGG": "Social Sciences",
                 "CCC": "STEM", "DDD": "STEM", "EEE": "STEM", "FFF": "STEM"}
ASSESSMENT_NAMES = {"TMA": "Tutor-marked assignment", "CMA": "Computer-marked assignment", "Exam": "Final exam"}


def _actor(deps: Deps, email: str) -> Actor | None:
    user = user_by_email(deps, email)
    return Actor(user_id=user.id, roles=frozenset(user.roles)) if user else None


def _category(deps: Deps, moderator: Actor, name: str, parent_id: UUID | None) -> UUID:
    tree = find(deps, CategoryTree, TREE_ID)
    for category_id, node in (tree.nodes.items() if tree else ()):
        if node["name"] == name and node["parent_id"] == parent_id:
            return category_id
    cmd = categories.CreateCategory(name=name, parent_id=parent_id)
    return execute(categories.create_category, cmd, moderator, deps).data["category_id"]


def _titles(deps: Deps, author: Actor) -> dict[str, UUID]:
    """The author's courses by title, as far as an earlier load got."""
    catch_up(deps, catalog)
    found, cursor = {}, None
    while True:
        page = authored_courses(deps.pool, author.user_id, limit=100, cursor=cursor)
        found.update({c["title"]: c["course_id"] for c in page["items"]})
        if not (cursor := page["next_cursor"]):
            return found


def _publish(deps: Deps, author: Actor, moderator: Actor, course: courses.CreateCourse,
             existing: dict[str, UUID]) -> tuple[UUID, bool]:
    """The course, published; and whether it was published now."""
    course_id = existing.get(course.title) or execute(courses.create_course, course, author, deps).data["course_id"]
    state = find(deps, Course, course_id)
    if state.status not in (CourseStatus.DRAFT, CourseStatus.IN_REVIEW):
        return course_id, False
    if state.status == CourseStatus.DRAFT:
        execute(course_review.submit_for_review, course_review.CourseRef(course_id=course_id), author, deps)
    execute(course_review.decide_review, course_review.DecideReview(course_id=course_id, approve=True), moderator, deps)
    return course_id, True


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
    category_id: UUID, prerequisites: list[UUID], title: str, lessons: list[tuple[str, str, UUID | None]]
) -> courses.CreateCourse:
    return courses.CreateCourse(
        title=title, level="beginner", language="en", category_ids=[category_id], tags=["maths", "fractions"],
        summary="Parts of a whole, step by step.", prerequisites=prerequisites,
        description="Short lessons with worked examples.", modules=[ModuleInput(title="Lessons", lessons=[
            LessonInput(title=t, content=c, media_id=m, estimated_minutes=15) for t, c, m in lessons])],
    )


def load_demo_catalog(deps: Deps) -> int:
    """Returns how many courses were published now."""
    author, moderator = _actor(deps, CREATOR), _actor(deps, MODERATOR)
    if author is None or moderator is None:
        return 0
    ids: dict[str, Any] = {}
    for name, parent in (("Mathematics", None), ("Open University", None),
                         ("STEM", "Open University"), ("Social Sciences", "Open University")):
        ids[name] = _category(deps, moderator, name, ids.get(parent))
    existing = _titles(deps, author)
    video = upload(deps, author, demo_video(), "halves-and-quarters.mp4")
    basics, new = _publish(deps, author, moderator, _maths_course(ids["Mathematics"], [], "Fractions, step by step", [
        ("Halves and quarters", "1/2 of a pie is **two quarters**. The video fills the picture as it plays.", video),
        ("Adding fractions", "1/2 + 1/3 = 5/6", None)]), existing)
    published = int(new)
    published += _publish(deps, author, moderator, _maths_course(
        ids["Mathematics"], [basics], "Fractions in everyday life", [
            ("Recipes", "Halve a recipe: multiply every amount by 1/2.", None),
            ("Discounts", "25% off is 1/4 off.", None)]), existing)[1]
    if (OULAD / "courses.csv").exists():
        for course in _oulad_courses(ids):
            published += _publish(deps, author, moderator, course, existing)[1]
    else:
        log.info("demo: %s not found, skipping the Open University courses", OULAD)
    student = _actor(deps, STUDENT)
    if student is not None and find(deps, Enrolment, enrolment_id(student.user_id, basics)) is None:
        execute(enrolment.enrol, enrolment.EnrolInCourse(course_id=basics), student, deps)
    return published
