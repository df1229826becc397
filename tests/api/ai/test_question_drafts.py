"""Question drafts: drafted from a lesson's text (offline, or through an OpenAI-compatible chat
endpoint served locally), never shown to students, approved into a bank or rejected."""

from __future__ import annotations

import json
import uuid

from domain.identity import Role
from tests.api.ai.conftest import biology_course
from tests.api.catalog.conftest import event_count


def drafts_path(course, n=0):
    return f"/api/v1/courses/{course['course_id']}/lessons/{course['lesson_ids'][n]}/question-drafts"


def listed(client, course, who, position, **params):
    r = client.get(f"/api/v1/courses/{course['course_id']}/question-drafts", headers=who.headers,
                   params={"min_position": position, **params})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def course_bank(client, course, who) -> str:
    r = client.post("/api/v1/question-banks", json={"title": "Bio", "course_id": course["course_id"]}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()["bank_id"]


def test_offline_drafts_go_to_the_author_and_become_questions_only_when_approved(client, kit, infra):
    course = biology_course(kit)
    author = kit.author
    r = client.post(drafts_path(course), json={"limit": 6}, headers=author.headers)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["generator"] == "offline-v1" and made["fallback_reason"] is None and 3 <= len(made["draft_ids"]) <= 6

    drafts = listed(client, course, author, made["position"])
    assert [d["draft_id"] for d in drafts] == made["draft_ids"]
    assert {d["content"]["type"] for d in drafts} == {"cloze", "single_choice", "true_false"}
    for d in drafts:
        assert d["status"] == "draft" and d["source_sentence"] in course_text_of(course)
        assert d["generator"] == "offline-v1" and d["source_position"] == course["position"]
    questions_before = event_count(infra, type_suffix="Question.Created")

    bank_id = course_bank(client, course, author)
    first, second = drafts[0], drafts[1]
    edited = {**first["content"], "title": "Edited by the teacher"}
    r = client.post(f"/api/v1/question-drafts/{first['draft_id']}/approval", json={"bank_id": bank_id, "question": edited},
                    headers=author.headers)
    assert r.status_code == 200, r.text
    question_id = r.json()["question_id"]
    question = client.get(f"/api/v1/questions/{question_id}", headers=author.headers,
                          params={"min_position": r.json()["position"]})
    assert question.status_code == 200, question.text
    assert question.json()["content"]["title"] == "Edited by the teacher"
    assert event_count(infra, type_suffix="Question.Created") == questions_before + 1
    again = client.post(f"/api/v1/question-drafts/{first['draft_id']}/approval", json={"bank_id": bank_id},
                        headers=author.headers)
    assert again.status_code == 409

    r = client.post(f"/api/v1/question-drafts/{second['draft_id']}/rejection", json={"reason": "too easy"},
                    headers=author.headers)
    assert r.status_code == 200, r.text
    shown = client.get(f"/api/v1/question-drafts/{second['draft_id']}", headers=author.headers,
                       params={"min_position": r.json()["position"]}).json()
    assert shown["status"] == "rejected" and shown["reason"] == "too easy"
    assert [d["draft_id"] for d in listed(client, course, author, r.json()["position"], status="approved")] == [
        first["draft_id"]]


def course_text_of(course) -> str:
    from commands.ai.text_analysis import plain_text
    from tests.api.ai.conftest import PHOTOSYNTHESIS

    return plain_text(f"Photosynthesis\n\n{PHOTOSYNTHESIS}")


def test_students_and_strangers_never_see_or_decide_drafts(client, kit, make_person):
    course = biology_course(kit, publish=True)
    made = client.post(drafts_path(course), json={}, headers=kit.author.headers).json()
    draft_id = made["draft_ids"][0]
    student, stranger, admin = make_person(), make_person(Role.TEACHER), make_person(Role.ADMIN)
    assert client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers).status_code == 201
    own_bank = client.post("/api/v1/question-banks", json={"title": "Mine"}, headers=stranger.headers).json()["bank_id"]
    for who in (student, stranger):
        assert client.get(f"/api/v1/question-drafts/{draft_id}", headers=who.headers).status_code == 404
        assert client.post(f"/api/v1/question-drafts/{draft_id}/approval", json={"bank_id": own_bank},
                           headers=who.headers).status_code == 404
        assert client.post(f"/api/v1/question-drafts/{draft_id}/rejection", json={}, headers=who.headers).status_code == 404
    assert client.post(drafts_path(course), json={}, headers=student.headers).status_code == 403
    assert client.post(drafts_path(course), json={}, headers=stranger.headers).status_code == 404
    assert client.get(f"/api/v1/courses/{course['course_id']}/question-drafts", headers=student.headers).status_code == 403
    assert client.get(f"/api/v1/question-drafts/{uuid.uuid4()}", headers=kit.author.headers).status_code == 404
    assert client.get(f"/api/v1/question-drafts/{draft_id}", headers=admin.headers,
                      params={"min_position": made["position"]}).status_code == 200
    # The author may not approve into a bank they do not manage.
    r = client.post(f"/api/v1/question-drafts/{draft_id}/approval", json={"bank_id": own_bank}, headers=kit.author.headers)
    assert r.status_code == 404


def test_bad_input_changes_nothing(client, kit, infra):
    course = biology_course(kit)
    made = client.post(drafts_path(course), json={"limit": 3}, headers=kit.author.headers).json()
    draft_id, bank_id = made["draft_ids"][0], course_bank(client, course, kit.author)
    before = event_count(infra, type_suffix="QuestionDraft.Generated"), event_count(infra, type_suffix="Question.Created")
    for body in ({"limit": 0}, {"limit": 31}, {"use_chat": "maybe"}):
        r = client.post(drafts_path(course), json=body, headers=kit.author.headers)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    bad_question = {"type": "single_choice", "title": "x", "prompt": "y", "options": [{"id": "a", "text": "z"}]}
    for body in ({"bank_id": "nope"}, {"bank_id": bank_id, "question": bad_question}):
        assert client.post(f"/api/v1/question-drafts/{draft_id}/approval", json=body,
                           headers=kit.author.headers).status_code == 422
    r = client.post(f"/api/v1/question-drafts/{draft_id}/rejection", json={"reason": "x" * 501}, headers=kit.author.headers)
    assert r.status_code == 422
    r = client.get(f"/api/v1/courses/{course['course_id']}/question-drafts", headers=kit.author.headers,
                   params={"cursor": "bm90IGEgY3Vyc29y"})
    assert r.status_code == 422
    empty = kit.create(title="Nothing to ask", modules=[{"title": "M", "lessons": [
        {"lesson_id": str(uuid.uuid4()), "title": "Empty", "content": "Hi."}]}])
    assert client.post(drafts_path(empty), json={}, headers=kit.author.headers).status_code == 409
    after = event_count(infra, type_suffix="QuestionDraft.Generated"), event_count(infra, type_suffix="Question.Created")
    assert after == before


def test_chat_endpoint_drafts_when_configured_and_its_nonsense_is_dropped(client, kit, chat):
    course = biology_course(kit)
    good = {"source_sentence": "Chlorophyll absorbs light energy in the chloroplasts of leaf cells.",
            "question": {"type": "single_choice", "title": "Pigment", "prompt": "Which pigment absorbs light?",
                         "options": [{"id": "a", "text": "Chlorophyll", "correct": True},
                                     {"id": "b", "text": "Glucose"}, {"id": "c", "text": "Mitochondria"}]}}
    invented = {**good, "source_sentence": "Plants can fly."}
    invalid = {**good, "question": {"type": "single_choice", "title": "x", "prompt": "y", "options": []}}
    chat.replies.append("Here you go:\n" + json.dumps({"questions": [good, invented, invalid]}))
    r = client.post(drafts_path(course), json={"limit": 5}, headers=kit.author.headers)
    assert r.status_code == 201, r.text
    assert r.json()["generator"] == "chat:local-test-model" and len(r.json()["draft_ids"]) == 1
    sent = chat.requests[-1]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer test-key"
    assert sent["body"]["model"] == "local-test-model"
    assert "Calvin cycle" in sent["body"]["messages"][1]["content"]  # the lesson text went along
    assert "glucose" in sent["body"]["messages"][1]["content"].lower()  # concepts of the other lesson, for distractors
    draft = listed(client, course, kit.author, r.json()["position"])[0]
    assert draft["source_sentence"] == good["source_sentence"] and draft["content"]["tags"] == ["generated"]

    chat.replies.append("I cannot help with that.")
    r = client.post(drafts_path(course), json={"limit": 3}, headers=kit.author.headers)
    assert r.status_code == 201 and r.json()["generator"] == "offline-v1"
    assert r.json()["fallback_reason"] == "the chat model gave no usable question"
    calls = len(chat.requests)
    r = client.post(drafts_path(course), json={"limit": 3, "use_chat": False}, headers=kit.author.headers)
    assert r.status_code == 201 and r.json()["generator"] == "offline-v1" and len(chat.requests) == calls

    chat.status = 500
    r = client.post(drafts_path(course), json={"limit": 3}, headers=kit.author.headers)
    assert r.status_code == 201 and r.json()["generator"] == "offline-v1"
    assert "chat endpoint failed" in r.json()["fallback_reason"]


def test_without_the_setting_nothing_calls_out(client, kit, app):
    assert app.state.deps.settings.ai_chat_url is None
    course = biology_course(kit)
    r = client.post(drafts_path(course), json={"use_chat": True}, headers=kit.author.headers)
    assert r.status_code == 201 and r.json()["generator"] == "offline-v1" and r.json()["fallback_reason"] is None
