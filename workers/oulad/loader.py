"""Loading the OULAD history through the import commands: per presentation (oldest first) the
course with its assessments, then its learners in batches, then their results in batches.
Each batch is one command and one group commit; every event is dated from the day offsets."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from adapters.infrastructure import Infrastructure
from adapters.security.passwords import hash_password
from commands.analytics import history_import as imports
from commands.loading import user_by_email
from commands.pipeline import SYSTEM, Deps, deps_for, execute
from domain.identity import Role
from workers.oulad.dataset import DEFAULT_FOLDER, Oulad, Slice, on_day, read_oulad
from workers.progress import Progress

STAFF_EMAIL = "oulad-staff@demo.skillhub.example.com"
LEARNER_PASSWORD = "skillhub-oulad-1"  # every imported learner's, like the demo's password
# Each batch is one INSERT under the events table lock: the array of a much bigger one takes
# seconds to send on a loaded machine and meets the idle-in-transaction timeout.
LEARNER_BATCH, RESULT_BATCH = 500, 1_000
CITATION = "Kuzilek, Hlosta, Zdrahal (2017), Open University Learning Analytics dataset, Scientific Data; CC BY 4.0"


@dataclass
class LoadReport:
    presentations: int
    registrations: int
    results: int
    events: int
    seconds: float


def learner_email(id_student: str) -> str:
    return f"oulad-{id_student}@oulad.skillhub.example.com"


def _batches(frame: pl.DataFrame, size: int) -> Iterator[list[dict[str, Any]]]:
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size).to_dicts()


def _staff(infra: Infrastructure, deps: Deps) -> Any:
    from workers.demo.loader import DEMO_PASSWORD, create_person

    found = user_by_email(deps, STAFF_EMAIL)
    return found.id if found else create_person(infra, STAFF_EMAIL, DEMO_PASSWORD, "OULAD Staff", [Role.CREATOR])


def load_oulad(infra: Infrastructure, folder: Path = DEFAULT_FOLDER, part: Slice = Slice(),
               progress: Progress | None = None) -> LoadReport:
    """`progress(rows done, rows)` after each batch; safe to run again (rows already in the log are skipped)."""
    began, deps = time.monotonic(), deps_for(infra)
    data = read_oulad(folder, part)
    owner_id, password_hash = _staff(infra, deps), hash_password(LEARNER_PASSWORD)
    total, done, events = data.courses.height + data.registrations.height + data.results.height, 0, 0
    report = progress or (lambda d, t: None)
    for course in data.courses.to_dicts():
        course_id = _course(deps, data, course, owner_id)
        done += 1
        for rows in _batches(data.registrations.filter(pl.col("key") == course["key"]), LEARNER_BATCH):
            events += _learners(deps, course, course_id, rows, password_hash)
            done += len(rows)
            report(done, total)
        for rows in _batches(data.results.filter(pl.col("key") == course["key"]), RESULT_BATCH):
            events += _results(deps, course, course_id, rows)
            done += len(rows)
            report(done, total)
    return LoadReport(data.courses.height, data.registrations.height, data.results.height, events,
                      time.monotonic() - began)


def _course(deps: Deps, data: Oulad, course: dict[str, Any], owner_id: Any) -> Any:
    start, key = course["start"], course["key"]
    first_day = data.registrations.filter(pl.col("key") == key)["registered_day"].min() or 0
    assessments = [imports.ImportedAssessment(key=a["id_assessment"], title=a["title"], kind=a["kind"],
                                              due_at=on_day(start, a["due_day"]), weight=a["weight"])
                   for a in data.assessments.filter(pl.col("key") == key).to_dicts()]
    guide = (f"Open University module {course['module']}, presentation {course['presentation']}: "
             f"{course['length']} days from {start:%d %B %Y}.\n\nFrom the OULAD dataset ({CITATION}).")
    cmd = imports.ImportCourse(key=key, title=f"OU {course['module']} {course['presentation']}", guide=guide,
                               summary=f"Module {course['module']}, {course['length']} days", owner_id=owner_id,
                               opens_at=on_day(start, min(first_day, 0) - 1), assessments=assessments)
    return execute(imports.import_course, cmd, SYSTEM, deps).data["course_id"]


def _learners(deps: Deps, course: dict[str, Any], course_id: Any, rows: list[dict[str, Any]], password_hash: str) -> int:
    start = course["start"]
    learners = [imports.ImportedLearner(key=r["id_student"], email=learner_email(r["id_student"]),
                                        display_name=f"OULAD learner {r['id_student']}",
                                        registered_at=on_day(start, r["registered_day"]),
                                        unregistered_at=on_day(start, r["unregistered_day"])) for r in rows]
    cmd = imports.ImportLearners(course_id=course_id, password_hash=password_hash, learners=learners)
    return execute(imports.import_learners, cmd, SYSTEM, deps).data["events"]


def _results(deps: Deps, course: dict[str, Any], course_id: Any, rows: list[dict[str, Any]]) -> int:
    start = course["start"]
    results = [imports.ImportedResult(learner_key=r["id_student"], assessment_key=r["id_assessment"], score=r["score"],
                                      submitted_at=on_day(start, r["day"]), banked=r["banked"]) for r in rows]
    return execute(imports.import_results, imports.ImportResults(course_id=course_id, results=results), SYSTEM, deps).data["events"]
