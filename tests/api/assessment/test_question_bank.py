"""Question banks through the API: every type, validation, who may, import and export."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.catalog.conftest import course_body
from tests.api.assessment.conftest import API
from tests.assessment_samples import SAMPLES

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_a_teacher_writes_one_question_of_every_type_and_filters_them(kit):
    teacher = kit.cast.teacher
    bank_id = kit.bank(teacher)
    position = 0
    for sample in SAMPLES.values():
        _, position = kit.question(teacher, bank_id, sample["question"])
    listed = kit.ok(kit.get(teacher, f"/question-banks/{bank_id}/questions", position))
    assert [q["type"] for q in listed["items"]] == list(SAMPLES)
    assert listed["items"][0]["tags"] == ["europe"]  # tags are lower-cased
    by_skill = kit.ok(kit.get(teacher, f"/question-banks/{bank_id}/questions", skill="Geography"))
    assert [q["title"] for q in by_skill["items"]] == ["Capital of France"]
    assert len(kit.ok(kit.get(teacher, f"/question-banks/{bank_id}/questions", tag="europe"))["items"]) == 1
    assert [q["type"] for q in kit.ok(kit.get(teacher, f"/question-banks/{bank_id}/questions", type="essay"))["items"]] == ["essay"]
    page = kit.ok(kit.get(teacher, f"/question-banks/{bank_id}/questions", limit=4))
    rest = kit.ok(kit.get(teacher, f"/question-banks/{bank_id}/questions", limit=10, cursor=page["next_cursor"]))
    assert len(page["items"]) + len(rest["items"]) == len(SAMPLES) and rest["next_cursor"] is None
    assert kit.ok(kit.get(teacher, f"/question-banks/{bank_id}"))["question_count"] == len(SAMPLES)


@pytest.mark.parametrize("change, field", [
    ({"type": "single_choice", "options": [{"id": "a", "text": "x", "correct": True}, {"id": "b", "text": "y", "correct": True}]},
     "body.question.single_choice"),
    ({"type": "cloze", "prompt": "No blank here", "blanks": [{"id": "1", "kind": "short_text", "answers": [{"text": "a"}]}]},
     "body.question.cloze"),
    ({"type": "short_text", "answers": [{"text": "([a-z", "regex": True}]}, "body.question.short_text.answers.0"),
    # A backreference: RE2 matches in linear time because it has none.
    ({"type": "short_text", "answers": [{"text": r"(ab)\1", "regex": True}]}, "body.question.short_text.answers.0"),
    ({"type": "numeric", "answers": [{"value": 1}], "units": [{"unit": "cm", "multiplier": 100}]}, "body.question.numeric"),
    ({"type": "numeric", "answers": [{"value": 1, "tolerance": -1}]}, "body.question.numeric.answers.0.tolerance"),
    # Past the documented range (|value| <= 1e15): JSONB would hand 1e20 back as an integer no encoder takes.
    ({"type": "numeric", "answers": [{"value": 1e20}]}, "body.question.numeric.answers.0.value"),
    ({"type": "numeric", "answers": [{"value": 1, "tolerance": 1e300}]}, "body.question.numeric.answers.0.tolerance"),
    ({"type": "matching", "stems": [{"id": "s1", "text": "a", "choice_id": "zz"}, {"id": "s2", "text": "b", "choice_id": "c1"}],
      "choices": [{"id": "c1", "text": "x"}, {"id": "c2", "text": "y"}]}, "body.question.matching"),
    ({"type": "ordering", "items": [{"id": "i1", "text": "only one"}]}, "body.question.ordering.items"),
    ({"type": "essay", "rubric": [{"id": "r", "title": "R", "levels": [{"id": "a", "label": "A", "points": 0},
                                                                      {"id": "b", "label": "B", "points": 0}]}]},
     "body.question.essay"),
    ({"type": "drawing"}, "body.question"),
])
def test_invalid_questions_are_rejected_with_the_field_and_nothing_is_recorded(kit, infra, change, field):
    teacher = kit.cast.teacher
    bank_id = kit.bank(teacher)
    before = kit.events(infra, "Question.Created")
    r = kit.client.post(f"{API}/question-banks/{bank_id}/questions", headers=teacher.headers,
                        json={"question": {"title": "T", "prompt": "P", **change}})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert any(e["field"].startswith(field) for e in r.json()["errors"]), r.json()["errors"]
    assert kit.events(infra, "Question.Created") == before


def test_who_may_write_and_read_banks(kit):
    teacher, other_teacher, student, admin = kit.cast.teacher, kit.cast.other_teacher, kit.cast.students[0], kit.cast.admin
    assert kit.client.post(f"{API}/question-banks", json={"title": "x"}).status_code == 401
    assert kit.client.post(f"{API}/question-banks", headers=student.headers, json={"title": "x"}).status_code == 403
    bank_id = kit.bank(teacher)
    question_id, position = kit.question(teacher, bank_id, SAMPLES["true_false"]["question"])
    for outsider in (other_teacher, student):
        assert kit.get(outsider, f"/question-banks/{bank_id}/questions").status_code == 404
        assert kit.get(outsider, f"/questions/{question_id}").status_code == 404
        r = kit.client.post(f"{API}/question-banks/{bank_id}/questions", headers=outsider.headers,
                            json={"question": SAMPLES["true_false"]["question"]})
        assert r.status_code == 404
        assert kit.client.delete(f"{API}/questions/{question_id}", headers=outsider.headers).status_code == 404
    assert kit.get(admin, f"/questions/{question_id}", position).status_code == 200
    assert bank_id in [b["bank_id"] for b in kit.ok(kit.get(teacher, "/question-banks", position))]
    assert bank_id not in [b["bank_id"] for b in kit.ok(kit.get(other_teacher, "/question-banks"))]


def test_a_course_bank_belongs_to_the_course_owner(kit):
    owner, other = kit.cast.creator, kit.cast.other_creator
    course = kit.ok(kit.client.post(f"{API}/courses", json=course_body(), headers=owner.headers), 201)
    bank_id = kit.bank(owner, course_id=course["course_id"])
    _, position = kit.question(owner, bank_id, SAMPLES["single_choice"]["question"])
    r = kit.client.post(f"{API}/question-banks", headers=other.headers, json={"title": "x", "course_id": course["course_id"]})
    assert r.status_code == 404
    assert kit.get(other, f"/question-banks/{bank_id}").status_code == 404
    assert kit.get(other, "/question-banks", course_id=course["course_id"]).status_code == 404
    listed = kit.ok(kit.get(owner, "/question-banks", position, course_id=course["course_id"]))
    assert [(b["bank_id"], b["owner_kind"]) for b in listed] == [(bank_id, "course")]


def test_revise_and_retire(kit):
    teacher = kit.cast.teacher
    bank_id = kit.bank(teacher)
    question_id, _ = kit.question(teacher, bank_id, SAMPLES["true_false"]["question"])
    revised = {**SAMPLES["true_false"]["question"], "prompt": "The Earth is a flat disc."}
    r = kit.ok(kit.client.put(f"{API}/questions/{question_id}", headers=teacher.headers, json={"question": revised}))
    assert r["revision"] == 2
    again = kit.client.put(f"{API}/questions/{question_id}", headers=teacher.headers, json={"question": revised})
    assert again.status_code == 409  # nothing changed
    r = kit.ok(kit.client.delete(f"{API}/questions/{question_id}", headers=teacher.headers))
    assert kit.ok(kit.get(teacher, f"/question-banks/{bank_id}/questions", r["position"]))["items"] == []
    shown = kit.ok(kit.get(teacher, f"/question-banks/{bank_id}/questions", include_retired=True))["items"]
    assert shown[0]["retired"] and shown[0]["content"]["prompt"] == "The Earth is a flat disc."
    assert kit.client.put(f"{API}/questions/{question_id}", headers=teacher.headers,
                          json={"question": SAMPLES["true_false"]["question"]}).status_code == 409


def _import(kit, person, bank_id, fmt, data):
    return kit.client.post(f"{API}/question-banks/{bank_id}/imports", params={"format": fmt}, content=data,
                           headers={**person.headers, "Content-Type": "text/plain"})


@pytest.mark.parametrize("fmt, name, imported, unsupported", [
    ("gift", "moodle_questions.gift", 10, ["description"]),
    ("moodle_xml", "moodle_questions.xml", 9, ["calculatedsimple", "description", "cloze"]),
])
def test_import_lists_what_it_left_out_and_export_reimports(kit, infra, fmt, name, imported, unsupported):
    teacher = kit.cast.teacher
    bank_id = kit.bank(teacher)
    result = kit.ok(_import(kit, teacher, bank_id, fmt, (FIXTURES / name).read_bytes()))
    assert len(result["imported"]) == imported
    assert [u["type"] for u in result["unsupported"]] == unsupported
    listed = kit.ok(kit.get(teacher, f"/question-banks/{bank_id}/questions", result["position"]))["items"]
    assert [q["title"] for q in listed] == [q["title"] for q in result["imported"]]
    exported = kit.get(teacher, f"/question-banks/{bank_id}/export", format=fmt)
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    second = kit.bank(teacher)
    again = kit.ok(_import(kit, teacher, second, fmt, exported.content))
    assert [q["type"] for q in again["imported"]] == [q["type"] for q in result["imported"]]
    assert again["unsupported"] == []


@pytest.mark.parametrize("fmt, data, status", [
    ("moodle_xml", b"<quiz><question type='truefalse'>", 422),
    ("gift", b"// only a comment\n", 422),
    ("gift", b"\xff\xfe not utf-8", 422),
    ("gift", b"x" * (5 * 1024 * 1024 + 1), 413),
])
def test_bad_files_change_nothing(kit, infra, fmt, data, status):
    teacher = kit.cast.teacher
    bank_id = kit.bank(teacher)
    before = kit.events(infra, "Question.Created")
    r = _import(kit, teacher, bank_id, fmt, data)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert kit.events(infra, "Question.Created") == before


def test_only_the_bank_manager_imports_and_exports(kit):
    teacher, other = kit.cast.teacher, kit.cast.other_teacher
    bank_id = kit.bank(teacher)
    gift = (FIXTURES / "moodle_questions.gift").read_bytes()
    assert _import(kit, other, bank_id, "gift", gift).status_code == 404
    assert kit.get(other, f"/question-banks/{bank_id}/export", format="gift").status_code == 404
    assert _import(kit, teacher, bank_id, "pdf", gift).status_code == 422


def _matching(stems: int, length: int) -> dict:
    return {"type": "matching", "title": "Long", "prompt": "Match them.",
            "stems": [{"id": f"s{i}", "text": "x" * length, "choice_id": f"c{i}"} for i in range(stems)],
            "choices": [{"id": f"c{i}", "text": f"choice {i}"} for i in range(stems)]}


def test_questions_and_quiz_versions_are_bounded_in_size(kit, infra):
    teacher = kit.cast.teacher
    bank_id = kit.bank(teacher)
    r = kit.client.post(f"{API}/question-banks/{bank_id}/questions", headers=teacher.headers,
                        json={"question": _matching(30, 2500)})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "question"
    ids = [kit.question(teacher, bank_id, _matching(30, 1900))[0] for _ in range(5)]  # about 57 KiB each
    room = kit.classroom(0)
    quiz_id = kit.ok(kit.client.post(f"{API}/quizzes", headers=teacher.headers, json={
        "title": "Huge", "class_id": room.class_id, "items": [{"question_id": i} for i in ids]}), 201)["quiz_id"]
    before = kit.events(infra, "Quiz.Published")
    r = kit.client.post(f"{API}/quizzes/{quiz_id}/publication", headers=teacher.headers)
    assert r.status_code == 422 and "at most 256 KiB" in r.json()["detail"]
    assert kit.events(infra, "Quiz.Published") == before


def test_a_big_import_is_saved_in_bounded_transactions(kit):
    """About 1 MB of questions: one transaction that big can stall on the embedded server."""
    teacher = kit.cast.teacher
    bank_id = kit.bank(teacher)
    gift = "\n\n".join(f"::Q{i}::{'Long question text. ' * 30} {i} + {i}? {{#{2 * i}}}" for i in range(1500))
    result = kit.ok(_import(kit, teacher, bank_id, "gift", gift.encode()))
    assert len(result["imported"]) == 1500 and result["unsupported"] == []
    listed = kit.ok(kit.get(teacher, f"/question-banks/{bank_id}", result["position"]))
    assert listed["question_count"] == 1500


def test_an_export_answers_what_the_format_could_not_carry(kit):
    teacher = kit.cast.teacher
    bank_id = kit.bank(teacher)
    position = 0
    for kind in ("ordering", "numeric", "single_choice"):
        _, position = kit.question(teacher, bank_id, SAMPLES[kind]["question"])
    file = kit.get(teacher, f"/question-banks/{bank_id}/export", position, format="gift")
    assert file.headers["x-export-warnings"] == "2" and file.text.startswith("// Exported from SkillHub")
    r = kit.client.get(f"{API}/question-banks/{bank_id}/export", params={"format": "gift"},
                       headers={**teacher.headers, "Accept": "application/json"})
    report = kit.ok(r)
    assert report["filename"] == "questions.gift.txt" and report["content"] == file.text
    assert report["warnings"] == ["'Length': units left out (GIFT numbers have none): m, cm"]
    assert report["not_exported"] == [{"index": 1, "title": "Planets", "type": "ordering",
                                       "reason": "GIFT cannot express ordering questions (use Moodle XML)"}]
    xml = kit.client.get(f"{API}/question-banks/{bank_id}/export", params={"format": "moodle_xml"},
                         headers={**teacher.headers, "Accept": "application/json"})
    assert kit.ok(xml)["warnings"] == [] and kit.ok(xml)["not_exported"] == []
