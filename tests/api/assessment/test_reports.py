"""Results and reports of a quiz through the API, on the example of tests/unit/test_item_statistics.py."""

from __future__ import annotations

import csv
import io

import pytest

from tests.api.assessment.conftest import API
from tests.assessment_samples import SAMPLES

# Per student: single_choice, true_false, multiple_choice right (1) or wrong (0).
PATTERNS = [(1, 1, 1), (1, 1, 0), (1, 0, 1), (0, 1, 0)]
KINDS = ["single_choice", "true_false", "multiple_choice"]


@pytest.fixture
def taken(kit):
    """Four students took the quiz (one point per question), a fifth started and did not submit."""
    room = kit.classroom(5)
    quiz = kit.quiz(room, KINDS, pass_mark=50, attempts_allowed=3)
    position = 0
    for student, pattern in zip(room.students, PATTERNS, strict=False):
        attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
        for kind, right in zip(KINDS, pattern, strict=True):
            kit.ok(kit.answer(student, attempt_id, quiz.questions[kind], SAMPLES[kind]["right" if right else "wrong"]))
        position = kit.ok(kit.submit(student, attempt_id))["position"]
    position = kit.ok(kit.start(room.students[4], quiz.quiz_id), 201)["position"]
    quiz.position = position
    return quiz


def test_statistics_match_the_hand_computed_example(kit, taken):
    stats = kit.ok(kit.get(taken.room.teacher, f"/quizzes/{taken.quiz_id}/statistics", taken.position))
    assert stats["attempts"] == 4
    # Students A-D of the unit test's example (2 points per question), worked out by hand again:
    items = {i["type"]: i for i in stats["items"]}
    assert items["single_choice"]["difficulty"] == pytest.approx(0.75)
    assert items["true_false"]["difficulty"] == pytest.approx(0.75)
    assert items["multiple_choice"]["difficulty"] == pytest.approx(0.5)
    # Correlation ignores the scale, so in answers right: single_choice 1,1,1,0 against the rest
    # 2,1,1,1: Sxy = .25, Sxx = .75, Syy = .75 -> 1/3.
    assert items["single_choice"]["discrimination"] == pytest.approx(1 / 3)
    # true_false 1,1,0,1 against 2,1,2,0: Sxy = -.75, Sxx = .75, Syy = 2.75 -> -0.522233.
    assert items["true_false"]["discrimination"] == pytest.approx(-0.522233, abs=1e-6)
    # alpha: item variances 1/4, 1/4, 1/3; totals 3,2,2,1 -> variance 2/3; 3/2 * (1 - (5/6)/(2/3)) = -0.375
    assert stats["cronbach_alpha"] == pytest.approx(-0.375)
    assert [b["count"] for b in stats["distribution"]["bins"]] == [0, 0, 0, 1, 0, 0, 2, 0, 0, 1]
    choices = {d["id"]: d["count"] for d in items["single_choice"]["distractors"]}
    assert choices == {"a": 3, "b": 1, "c": 0, None: 0}
    assert {d["id"]: d["count"] for d in items["true_false"]["distractors"]} == {"true": 1, "false": 3, None: 0}
    csv = kit.get(taken.room.teacher, f"/quizzes/{taken.quiz_id}/statistics", format="csv")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == "question_id,title,type,n,difficulty,discrimination,no_answer,options"
    assert len(lines) == 4
    capital = next(line for line in lines if "Capital of France" in line)
    assert capital.endswith(",0,a Paris (right): 3 | b Lyon: 1 | c Nice: 0")
    table = kit.get(taken.room.teacher, f"/quizzes/{taken.quiz_id}/statistics", format="csv", table="distribution")
    assert 'filename="distribution-' in table.headers["content-disposition"]
    rows = [line.split(",") for line in table.text.splitlines()]
    assert rows[0] == ["measure", "from_percent", "to_percent", "value"]
    summary = {r[0]: float(r[3]) for r in rows[1:] if r[0] != "count"}
    assert summary["attempts"] == 4 and summary["cronbach_alpha"] == pytest.approx(-0.375)
    assert summary["alpha_items"] == 3 and summary["mean_percent"] == pytest.approx(200 / 3)
    assert [float(r[3]) for r in rows if r[0] == "count"] == [0, 0, 0, 1, 0, 0, 2, 0, 0, 1]
    assert rows[-1][1:3] == ["90.0", "100.0"]


def test_results_count_the_best_or_the_last_attempt_as_the_quiz_says(kit, taken):
    teacher, best_student = taken.room.teacher, taken.room.students[0]
    retry = kit.ok(kit.start(best_student, taken.quiz_id), 201)["attempt_id"]
    done = kit.ok(kit.submit(best_student, retry))  # a blank second attempt
    results = kit.ok(kit.get(teacher, f"/quizzes/{taken.quiz_id}/results", done["position"]))
    mine = next(s for s in results["students"] if s["student_id"] == best_student.user_id)
    assert (results["score_policy"], mine["attempts"], mine["percent"], mine["passed"]) == ("best", 2, 100.0, True)
    assert sorted(s["passed"] for s in results["students"]) == [False, True, True, True]
    body = {"title": "Quiz", "score_policy": "last", "pass_mark": 50, "attempts_allowed": 3,
            "items": [{"question_id": taken.questions[k], "points": 2} for k in KINDS]}
    kit.ok(kit.client.put(f"{API}/quizzes/{taken.quiz_id}", headers=teacher.headers, json=body))
    published = kit.publish(taken)
    results = kit.ok(kit.get(teacher, f"/quizzes/{taken.quiz_id}/results", published))
    mine = next(s for s in results["students"] if s["student_id"] == best_student.user_id)
    assert (results["score_policy"], mine["percent"], mine["counted_attempt_id"]) == ("last", 0.0, retry)
    csv = kit.get(teacher, f"/quizzes/{taken.quiz_id}/results", format="csv").text.splitlines()
    assert csv[0].startswith("student_id,display_name,attempts,counted_attempt_id,quiz_version,score")
    assert len(csv) == 5


def test_who_has_not_attempted(kit, taken):
    missing = kit.ok(kit.get(taken.room.teacher, f"/quizzes/{taken.quiz_id}/non-attempts", taken.position))
    assert missing == [{"student_id": taken.room.students[4].user_id, "display_name": "Cast", "status": "in_progress"}]
    csv = kit.get(taken.room.teacher, f"/quizzes/{taken.quiz_id}/non-attempts", format="csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines() == ["student_id,display_name,status", f"{taken.room.students[4].user_id},Cast,in_progress"]
    assert kit.get(taken.room.students[0], f"/quizzes/{taken.quiz_id}/non-attempts", format="csv").status_code == 403


def test_the_teacher_lists_a_quizs_attempts_student_by_student(kit, taken):
    teacher, students = taken.room.teacher, taken.room.students
    retry = kit.ok(kit.start(students[0], taken.quiz_id), 201)
    path = f"/quizzes/{taken.quiz_id}/attempts"
    everyone = kit.ok(kit.get(teacher, path, retry["position"], limit=200))["items"]
    assert len(everyone) == 6 and everyone == sorted(everyone, key=lambda a: (a["student_id"], a["number"]))
    pages, cursor = [], None
    while True:
        found = kit.ok(kit.get(teacher, path, limit=4, **({"cursor": cursor} if cursor else {})))
        pages.append(found["items"])
        if (cursor := found["next_cursor"]) is None:
            break
    assert [len(p) for p in pages] == [4, 2] and [a for p in pages for a in p] == everyone
    mine = kit.ok(kit.get(teacher, path, student_id=students[0].user_id))["items"]
    assert [(a["number"], a["status"], a["percent"], a["passed"]) for a in mine] == [
        (1, "graded", 100.0, True), (2, "in_progress", None, None)]
    assert mine[0]["display_name"] == "Cast" and mine[0]["pass_mark"] == 50
    assert {a["status"] for a in everyone} == {"graded", "in_progress"}
    for person, status in ((students[0], 403), (kit.cast.auditor, 200), (kit.cast.other_teacher, 404)):
        assert kit.get(person, path).status_code == status


def test_passed_is_decided_by_the_pass_mark_of_each_attempts_version(kit):
    room = kit.classroom(2)
    quiz = kit.quiz(room, KINDS, pass_mark=50, attempts_allowed=1)
    first, second = room.students
    attempt_id = kit.ok(kit.start(first, quiz.quiz_id), 201)["attempt_id"]
    for kind, right in zip(KINDS, (1, 1, 0), strict=True):
        kit.ok(kit.answer(first, attempt_id, quiz.questions[kind], SAMPLES[kind]["right" if right else "wrong"]))
    kit.ok(kit.submit(first, attempt_id))  # 66.7 %: passed at 50
    body = {"title": "Quiz", "pass_mark": 80, "attempts_allowed": 1,
            "items": [{"question_id": quiz.questions[k], "points": 2} for k in KINDS]}
    kit.ok(kit.client.put(f"{API}/quizzes/{quiz.quiz_id}", headers=room.teacher.headers, json=body))
    kit.publish(quiz)
    later = kit.ok(kit.start(second, quiz.quiz_id), 201)["attempt_id"]
    for kind, right in zip(KINDS, (1, 1, 0), strict=True):
        kit.ok(kit.answer(second, later, quiz.questions[kind], SAMPLES[kind]["right" if right else "wrong"]))
    done = kit.ok(kit.submit(second, later))  # 66.7 %: failed at 80
    assert done["result"]["passed"] is False
    results = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/results", done["position"]))
    passed = {r["student_id"]: (r["quiz_version"], r["pass_mark"], r["passed"]) for r in results["students"]}
    assert passed == {first.user_id: (1, 50, True), second.user_id: (2, 80, False)}
    assert kit.view(first, attempt_id)["result"]["passed"] is True  # the same as on the attempt itself
    listed = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/attempts"))["items"]
    assert {a["student_id"]: a["passed"] for a in listed} == {first.user_id: True, second.user_id: False}
    csv = kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/results", format="csv").text.splitlines()
    assert csv[0] == ("student_id,display_name,attempts,counted_attempt_id,quiz_version,score,max_score,percent,"
                      "pass_mark,passed,pending,submitted_at")


def test_erasing_a_student_blanks_their_written_answers_but_keeps_scores(kit, make_person):
    room = kit.classroom(0)
    quiz = kit.quiz(room, ["short_text", "single_choice"])
    student = make_person()
    opened = kit.ok(kit.get(room.teacher, f"/classes/{room.class_id}"))
    kit.ok(kit.client.post(f"{API}/classes/join", headers=student.headers, json={"code": opened["join_code"]}))
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(student, attempt_id, quiz.questions["short_text"], {"text": "Shakespeare"}))
    kit.ok(kit.answer(student, attempt_id, quiz.questions["single_choice"], {"option_id": "a"}))
    kit.ok(kit.submit(student, attempt_id))
    erased = kit.ok(kit.client.post(f"{API}/users/{student.user_id}/erasure", headers=student.headers))
    view = kit.view(room.teacher, attempt_id, erased["position"])
    answers = {q["type"]: q["answer"] for q in view["questions"]}
    assert answers == {"short_text": None, "single_choice": {"option_id": "a"}}
    assert view["result"]["score"] == 4.0


def test_statistics_leave_a_pending_essay_out_and_ignore_negative_marking(kit):
    """Two students, negative marking 1: the wrong answer's item score is 0 (points before negative
    marking), not -2; the essay counts only where graded."""
    room = kit.classroom(2)
    quiz = kit.quiz(room, ["single_choice", "true_false", "essay"], negative_marking=1, attempts_allowed=1)
    good, weak = room.students
    position, attempts = 0, {}
    for student, which in ((good, "right"), (weak, "wrong")):
        attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
        for kind in ("single_choice", "true_false"):
            kit.ok(kit.answer(student, attempt_id, quiz.questions[kind], SAMPLES[kind][which]))
        kit.ok(kit.answer(student, attempt_id, quiz.questions["essay"], SAMPLES["essay"]["right"]))
        position = kit.ok(kit.submit(student, attempt_id))["position"]
        attempts[student.user_id] = attempt_id
    graded = kit.ok(kit.client.put(f"{API}/attempts/{attempts[good.user_id]}/answers/{quiz.questions['essay']}/grade",
                                   headers=room.teacher.headers, json={"levels": {"ideas": "good", "style": "poor"}}))
    stats = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/statistics", max(position, graded["position"])))
    items = {i["type"]: i for i in stats["items"]}
    assert (items["essay"]["n"], items["essay"]["difficulty"]) == (1, pytest.approx(0.75))  # the weak one waits
    assert (items["single_choice"]["n"], items["single_choice"]["difficulty"]) == (2, 0.5)
    # Item scores 2, 0 against the rest 3.5 (true_false and the graded essay) and 0: r = 1.
    assert items["single_choice"]["discrimination"] == pytest.approx(1.0)
    assert stats["alpha_items"] == 2  # the essay is not in every counted attempt yet
    assert [b["count"] for b in stats["distribution"]["bins"]][0] == 1  # the weak score is floored at 0
    results = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/results"))
    assert {r["student_id"]: r["score"] for r in results["students"]} == {good.user_id: 5.5, weak.user_id: 0.0}


def test_statistics_across_two_versions_with_other_points(kit):
    """Version 1 gives the single choice 2 points, version 2 gives it 4: difficulty is the mean share."""
    room = kit.classroom(3)
    quiz = kit.quiz(room, ["single_choice", "true_false"], attempts_allowed=1)
    first, second, third = room.students

    def take(student, single, tf):
        attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
        kit.ok(kit.answer(student, attempt_id, quiz.questions["single_choice"], SAMPLES["single_choice"][single]))
        kit.ok(kit.answer(student, attempt_id, quiz.questions["true_false"], SAMPLES["true_false"][tf]))
        return kit.ok(kit.submit(student, attempt_id))["position"]

    take(first, "right", "right")
    body = {"title": "Quiz", "attempts_allowed": 1, "items": [{"question_id": quiz.questions["single_choice"], "points": 4},
                                                               {"question_id": quiz.questions["true_false"], "points": 2}]}
    kit.ok(kit.client.put(f"{API}/quizzes/{quiz.quiz_id}", headers=room.teacher.headers, json=body))
    kit.publish(quiz)
    take(second, "wrong", "right")
    position = take(third, "wrong", "wrong")
    stats = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/statistics", position))
    single = next(i for i in stats["items"] if i["type"] == "single_choice")
    assert single["n"] == 3 and single["difficulty"] == pytest.approx(1 / 3)  # not 2 points of 3 x 4
    # Item scores 2, 0, 0 against the rest (true_false) 2, 2, 0: Sxy = 4/3, Sxx = Syy = 8/3, r = 0.5.
    assert single["discrimination"] == pytest.approx(0.5)
    assert {d["id"]: d["count"] for d in single["distractors"]} == {"a": 1, "b": 2, "c": 0, None: 0}
    assert [b["count"] for b in stats["distribution"]["bins"]] == [1, 0, 0, 1, 0, 0, 0, 0, 0, 1]


def test_an_empty_selection_counts_as_no_answer_in_the_distractors(kit):
    room = kit.classroom(2)
    quiz = kit.quiz(room, ["multiple_choice"], attempts_allowed=1)
    position = 0
    for student, chosen in zip(room.students, (["a", "c"], []), strict=True):
        attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
        kit.ok(kit.answer(student, attempt_id, quiz.questions["multiple_choice"], {"option_ids": chosen}))
        position = kit.ok(kit.submit(student, attempt_id))["position"]
    [item] = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/statistics", position))["items"]
    assert {d["id"]: d["count"] for d in item["distractors"]} == {"a": 1, "b": 0, "c": 1, "d": 0, None: 1}


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(kit, make_person):
    room = kit.classroom(0)
    joined = make_person()
    code = kit.ok(kit.client.get(f"{API}/classes/{room.class_id}", headers=room.teacher.headers))["join_code"]
    kit.ok(kit.client.post(f"{API}/classes/join", headers=joined.headers, json={"code": code}))
    formula = '=HYPERLINK("http://attacker.example/","open")'
    renamed = kit.ok(kit.client.patch(f"{API}/users/{joined.user_id}", headers=joined.headers,
                                      json={"display_name": formula}))
    quiz = kit.quiz(room, ["true_false"])
    listed = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/non-attempts", max(renamed["position"], quiz.position)))
    assert listed[0]["display_name"] == formula  # JSON keeps the name as written
    rows = list(csv.DictReader(io.StringIO(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/non-attempts",
                                                   format="csv").text)))
    assert rows[0]["display_name"] == "'" + formula
