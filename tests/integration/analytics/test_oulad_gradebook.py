"""Imported OULAD results in the gradebook: a tiny presentation in the dataset's own files, loaded
through `skillhub demo load --oulad`'s path; each TMA, CMA and exam score counts by its weight
in the category "assessments", as of the day it was handed in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from commands.analytics.history_import import imported_id
from domain.course_assessments import assessment_id
from projections.certification import gradebook_queries
from projections.certification.gradebook import gradebook
from tests.integration.analytics.conftest import catch_up
from workers.oulad.loader import load_oulad

# ZZZ-2013J starts on 1 October 2013 at noon UTC; "?" is a submission not marked yet.
FILES = {
    "courses.csv": '"code_module","code_presentation","module_presentation_length"\n"ZZZ","2013J","200"\n',
    "assessments.csv": ('"code_module","code_presentation","id_assessment","assessment_type","date","weight"\n'
                        '"ZZZ","2013J","91","TMA","20","20"\n"ZZZ","2013J","92","CMA","30","0"\n'
                        '"ZZZ","2013J","93","TMA","60","30"\n"ZZZ","2013J","94","Exam","","100"\n'),
    "studentRegistration.csv": ('"code_module","code_presentation","id_student","date_registration","date_unregistration"\n'
                                '"ZZZ","2013J","1001","-10",""\n"ZZZ","2013J","1002","-5",""\n'
                                '"ZZZ","2013J","1003","-3","15"\n'),
    "studentAssessment.csv": ("id_assessment,id_student,date_submitted,is_banked,score\n"
                              "91,1001,18,0,80\n92,1001,29,0,100\n93,1001,58,0,60\n94,1001,199,0,70\n"
                              "91,1002,21,0,30\n93,1002,61,0,?\n"),
    "studentInfo.csv": ('"code_module","code_presentation","id_student","final_result"\n'
                        '"ZZZ","2013J","1001","Pass"\n"ZZZ","2013J","1002","Fail"\n"ZZZ","2013J","1003","Withdrawn"\n'),
}
COURSE = imported_id("course", "ZZZ-2013J")


@pytest.fixture
def loaded(fresh_infra, tmp_path: Path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    load_oulad(fresh_infra, tmp_path)
    catch_up(fresh_infra, gradebook)
    return fresh_infra


def _learner(key: str):
    return imported_id("learner", key)


def test_imported_scores_count_by_their_weights(loaded):
    grades = gradebook_queries.student_grades(loaded.pool, COURSE, _learner("1001"))
    # (80×20 + 100×0 + 60×30 + 70×100) / 150: the exam weighs as much as all the coursework.
    assert grades["final"] == round(10400 / 150, 2) == 69.33 and grades["letter"] == "D" and grades["passed"]
    assert grades["categories"]["assessments"]["percent"] == pytest.approx(10400 / 150)
    scores = {s["item_id"]: s for s in grades["scores"]}
    assert {s["weight"] for s in scores.values()} == {20.0, 0.0, 30.0, 100.0}
    assert all(s["category"] == "assessments" and s["passed"] for s in scores.values())
    # The student's own view shows the same: a recorded result is released when it is recorded.
    mine = gradebook_queries.student_grades(loaded.pool, COURSE, _learner("1001"), now=datetime.now(UTC))
    assert (mine["final"], mine["view"]) == (69.33, "student")


def test_an_unmarked_submission_is_pending_and_a_low_score_fails(loaded):
    grades = gradebook_queries.student_grades(loaded.pool, COURSE, _learner("1002"))
    assert grades["final"] == 30.0 and not grades["passed"]
    [tma1] = grades["scores"]
    assert not tma1["passed"]  # under the pass mark of 40 %
    assert [p["item_id"] for p in grades["pending_release"]] == [assessment_id(COURSE, "93")]


def test_grades_as_of_a_day_and_the_course_list(loaded):
    # Before TMA 2 (day 58), only TMA 1 (day 18) and the CMA of weight 0 are in.
    early = gradebook_queries.student_grades(loaded.pool, COURSE, _learner("1001"),
                                             as_of=datetime(2013, 11, 1, tzinfo=UTC))
    assert early["final"] == 80.0
    everyone = {row["student_id"]: row for row in gradebook_queries.gradebook(loaded.pool, COURSE)}
    assert set(everyone) == {_learner("1001"), _learner("1002")}  # 1003 left before handing anything in
    assert gradebook_queries.policy(loaded.pool, COURSE)["categories"]["assessments"]["weight"] == 1.0
    history = gradebook_queries.history(loaded.pool, COURSE, _learner("1001"))
    # The CMA of weight 0 changed nothing, so it is no change in the history.
    assert [row["final"] for row in history] == [80.0, 68.0, 69.33]
    assert {row["cause"] for row in history} == {"AssessmentResult.Recorded"}
