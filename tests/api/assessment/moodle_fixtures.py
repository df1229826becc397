"""Helpers for the Moodle golden tests: the fixture files (tests/fixtures/moodle), importing one
through the API, and the link an embedded file of a fixture gets once the importer stores it."""

from __future__ import annotations

import base64
import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.media import media_id_for
from tests.api.assessment.conftest import API, Kit
from tests.api.conftest import Person

MOODLE = Path(__file__).resolve().parents[2] / "fixtures" / "moodle"


def import_file(kit: Kit, person: Person, bank_id: str, fmt: str, data: bytes) -> Any:
    return kit.client.post(f"{API}/question-banks/{bank_id}/imports", params={"format": fmt}, content=data,
                           headers={**person.headers, "Content-Type": "text/plain"})


def imported(kit: Kit, person: Person, name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Import a fixture into a new bank: the import's answer and the questions' contents."""
    fmt = "gift" if name.endswith(".gift") else "moodle_xml"
    bank_id = kit.bank(person)
    result = kit.ok(import_file(kit, person, bank_id, fmt, (MOODLE / name).read_bytes()))
    listed = kit.ok(kit.get(person, f"/question-banks/{bank_id}/questions", result["position"]))["items"]
    return {**result, "bank_id": bank_id}, [q["content"] for q in listed]


def file_bytes(name: str, file: str) -> bytes:
    """The bytes of an embedded file of a fixture (a <file>, or Moodle 1.9's <image_base64>)."""
    root = ET.parse(MOODLE / name).getroot()
    for node in root.iter("file"):
        if node.get("name") == file:
            return base64.b64decode("".join((node.text or "").split()))
    question = next(q for q in root.iter("question") if (q.findtext("image") or "").strip() == file)
    return base64.b64decode("".join((question.findtext("image_base64") or "").split()))


def media_of(person: Person, data: bytes) -> UUID:
    return media_id_for(UUID(person.user_id), hashlib.sha256(data).hexdigest())


def link(person: Person, name: str, file: str) -> str:
    """Where the importer's copy of an embedded file is linked from the texts."""
    return f"/api/v1/media/{media_of(person, file_bytes(name, file))}/content"


def true_false(title: str, prompt: str, correct: bool, *, true: str = "", false: str = "", general: str = "",
               skills: list[str] | None = None) -> dict[str, Any]:
    return {"title": title, "prompt": prompt, "general_feedback": general, "skills": skills or [], "tags": [],
            "type": "true_false", "correct": correct, "feedback_true": true, "feedback_false": false}


def option(option_id: str, text: str, correct: bool = False, feedback: str = "") -> dict[str, Any]:
    return {"id": option_id, "text": text, "correct": correct, "feedback": feedback}


def text_answer(text: str, credit: float = 1.0, feedback: str = "") -> dict[str, Any]:
    return {"text": text, "regex": False, "credit": credit, "feedback": feedback}
