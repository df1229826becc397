"""Media in question texts through the API: who may download them (students of a published quiz,
the bank's managers; nobody else), files an import cannot keep, links to other people's files,
and Moodle XML export embedding the files so that importing the export gives the same questions."""

from __future__ import annotations

import base64

from domain.identity import Role
from tests import media_samples
from tests.api.assessment.conftest import API
from tests.api.assessment.moodle_fixtures import MOODLE, file_bytes, import_file, imported, link, media_of
from tests.api.catalog.conftest import course_body


def _download(kit, person, media_id, position=0):
    return kit.get(person, f"/media/{media_id}/content", position)


def test_students_of_a_published_quiz_and_bank_managers_read_its_question_media(kit):
    teacher, admin = kit.cast.teacher, kit.cast.admin
    room = kit.classroom(1)
    student, outsider, other_teacher = room.students[0], kit.cast.students[4], kit.cast.other_teacher
    result, _ = imported(kit, teacher, "xml_choice_media.xml")
    audio = media_of(teacher, file_bytes("xml_choice_media.xml", "hallo.mp3"))
    quiz = kit.ok(kit.client.post(f"{API}/quizzes", headers=teacher.headers, json={
        "title": "Listening", "class_id": room.class_id,
        "items": [{"question_id": result["imported"][0]["question_id"]}]}), 201)
    assert _download(kit, student, audio, quiz["position"]).status_code == 404  # a draft shows nothing
    position = kit.ok(kit.client.post(f"{API}/quizzes/{quiz['quiz_id']}/publication", headers=teacher.headers))["position"]
    got = _download(kit, student, audio, position)
    assert got.status_code == 200 and got.content == file_bytes("xml_choice_media.xml", "hallo.mp3")
    attempt = kit.ok(kit.start(student, quiz["quiz_id"]), 201)
    assert f"/api/v1/media/{audio}/content" in attempt["questions"][0]["prompt"]
    for person in (outsider, other_teacher):
        assert _download(kit, person, audio, position).status_code == 404
    for person in (admin, kit.cast.auditor):  # every bank's manager; the quiz's readers
        assert _download(kit, person, audio, position).status_code == 200


def test_a_course_owner_reads_the_media_an_admin_imported_into_the_course_bank(kit):
    owner, admin = kit.cast.creator, kit.cast.admin
    course = kit.ok(kit.client.post(f"{API}/courses", json=course_body(), headers=owner.headers), 201)
    bank_id = kit.bank(owner, course_id=course["course_id"])
    r = kit.ok(import_file(kit, admin, bank_id, "moodle_xml", (MOODLE / "xml_cloze_images.xml").read_bytes()))
    atlas = media_of(admin, file_bytes("xml_cloze_images.xml", "atlas.png"))
    assert _download(kit, owner, atlas, r["position"]).status_code == 200
    assert _download(kit, kit.cast.other_creator, atlas, r["position"]).status_code == 404


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"/>'


def _file(name: str, data: bytes) -> str:
    return f'<file name="{name}" encoding="base64">{base64.b64encode(data).decode()}</file>'


def test_files_skillhub_does_not_take_are_left_out_and_named(kit, monkeypatch):
    monkeypatch.setattr(kit.deps.settings, "media_max_bytes_image", 100)
    text = ('<p>A <img src="@@PLUGINFILE@@/drawing.svg" alt="drawing" /> and <a href="@@PLUGINFILE@@/tool.bin">a tool</a>,'
            ' <img src="@@PLUGINFILE@@/big.png" alt="big" />, <img src="@@PLUGINFILE@@/gone.png" alt="gone" /> and'
            ' <img src="@@PLUGINFILE@@/bad.png" alt="bad" /> but <img src="@@PLUGINFILE@@/dot.png" alt="dot" />.</p>')
    xml = (f'<quiz><question type="truefalse"><name><text>Files</text></name><questiontext format="html">'
           f'<text><![CDATA[{text}]]></text>{_file("drawing.svg", SVG)}'
           f'{_file("tool.bin", media_samples.elf())}{_file("big.png", media_samples.png(16, 16))}'
           f'<file name="bad.png" encoding="base64">not base64!</file>{_file("dot.png", media_samples.png(1, 1))}'
           f'{_file("spare.png", media_samples.png(2, 2))}</questiontext>'
           '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
           '</question></quiz>')
    teacher = kit.cast.teacher
    result = kit.ok(import_file(kit, teacher, kit.bank(teacher), "moodle_xml", xml.encode()))
    question = kit.ok(kit.get(teacher, f"/questions/{result['imported'][0]['question_id']}", result["position"]))
    dot = f"/api/v1/media/{media_of(teacher, media_samples.png(1, 1))}/content"
    assert question["content"]["prompt"] == f"A drawing and a tool, big, gone and bad but ![dot]({dot})."
    assert result["warnings"] == [
        "'Files': embedded file 'spare.png' left out: no text links it",
        "'Files': file 'drawing.svg' left out: unsupported file type (no known file signature); allowed: video, audio,"
        " PDF, images and office documents",
        "'Files': file 'tool.bin' left out: unsupported file type (detected application/x-executable); allowed: video,"
        " audio, PDF, images and office documents",
        "'Files': file 'big.png' left out: image files may be at most 100 bytes",
        "'Files': file 'gone.png' left out: the file does not hold it",
        "'Files': file 'bad.png' left out: not valid base64"]


def test_texts_link_only_media_their_writer_may_read(kit, infra):
    teacher, other = kit.cast.teacher, kit.cast.other_teacher
    theirs = kit.ok(kit.client.post(f"{API}/media", content=media_samples.png(3, 3, 7), headers=other.headers), 201)
    mine = kit.ok(kit.client.post(f"{API}/media", content=media_samples.png(3, 3, 8), headers=teacher.headers), 201)
    bank_id = kit.bank(teacher)
    question = {"type": "true_false", "title": "Picture", "correct": True,
                "prompt": f"Is this red? ![red](/api/v1/media/{theirs['media_id']}/content)"}
    before = kit.events(infra, "Question.Created")
    r = kit.client.post(f"{API}/question-banks/{bank_id}/questions", headers=teacher.headers, json={"question": question})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "question"
    r = import_file(kit, teacher, bank_id, "gift", f"::Picture::[markdown]{question['prompt']} {{T}}".encode())
    assert r.status_code == 422 and "which you may not read" in r.json()["errors"][0]["message"]
    assert kit.events(infra, "Question.Created") == before
    question["prompt"] = f"Is this red? ![red](/api/v1/media/{mine['media_id']}/content)"
    kit.question(teacher, bank_id, question)


def test_moodle_xml_export_embeds_the_files_and_imports_to_the_same_questions(kit):
    teacher = kit.make_person(Role.TEACHER)
    bank_id = kit.bank(teacher)
    for name in ("xml_cloze_images.xml", "xml_choice_media.xml", "xml_true_false_images.xml", "xml_old_image.xml"):
        position = kit.ok(import_file(kit, teacher, bank_id, "moodle_xml", (MOODLE / name).read_bytes()))["position"]
    originals = [q["content"] for q in kit.ok(kit.get(teacher, f"/question-banks/{bank_id}/questions", position))["items"]]
    exported = kit.ok(kit.client.get(f"{API}/question-banks/{bank_id}/export", params={"format": "moodle_xml"},
                                     headers={**teacher.headers, "Accept": "application/json"}))
    assert exported["warnings"] == [] and exported["content"].count("<file ") == 17
    assert "/api/v1/media/" not in exported["content"]
    second = kit.bank(teacher)
    again = kit.ok(import_file(kit, teacher, second, "moodle_xml", exported["content"].encode()))
    copies = [q["content"] for q in kit.ok(kit.get(teacher, f"/question-banks/{second}/questions", again["position"]))["items"]]
    assert (again["warnings"], again["unsupported"]) == ([], [])
    assert copies == originals  # the same media ids: the same person's same bytes
    gift = kit.ok(kit.client.get(f"{API}/question-banks/{bank_id}/export", params={"format": "gift"},
                                 headers={**teacher.headers, "Accept": "application/json"}))
    assert "'Recording': 5 linked files not in the file (GIFT cannot carry files; the links point at SkillHub)" \
        in gift["warnings"]
    assert link(teacher, "xml_choice_media.xml", "hallo.mp3") in gift["content"]


def test_a_file_link_typed_into_a_gift_file_is_text_like_any_other(kit):
    teacher = kit.cast.teacher
    result = kit.ok(import_file(kit, teacher, kit.bank(teacher), "gift", b"::Typed::[markdown]See [x](skillhub-file:0) {T}"))
    question = kit.ok(kit.get(teacher, f"/questions/{result['imported'][0]['question_id']}", result["position"]))
    assert question["content"]["prompt"] == "See [x](skillhub-file:0)"
