"""Importing a Moodle GIFT or Moodle XML file into a question bank. Every question of a
supported type that validates is added (in transactions of bounded size, see
commands/bounded_saves.py); the response lists the questions left out and why, and the
conversions worth a look (warnings). Files the questions embed become the importer's media
(commands/classroom/imported_files.py): their blobs are stored first, then their Media events are
recorded before the questions that link them. A file of which no question can be imported is
bad input (422, each question's reason in the errors): nothing is recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, Field, ValidationError

from adapters.moodle.gift import parse_gift
from adapters.moodle.question_files import ParsedFile
from adapters.moodle.xml import parse_moodle_xml
from commands.access.media_access import unreadable_links
from commands.assessment.question_bank import managed_bank
from commands.assessment.question_specs import validate_content
from commands.bounded_saves import record_bounded
from commands.classroom.imported_files import ImportedFiles
from commands.pipeline import Actor, Deps, Done
from domain.errors import InvalidInput
from domain.question_bank import Question

MAX_FILE_BYTES = 5 * 1024 * 1024
MEDIA_EVENT_BYTES = 1024  # an estimate of one Media.Uploaded event, for the bounded saves
Format = Literal["gift", "moodle_xml"]
PARSERS: dict[str, Callable[[str], ParsedFile]] = {"gift": parse_gift, "moodle_xml": parse_moodle_xml}


class ImportQuestions(BaseModel):
    bank_id: UUID
    format: Format
    source: Annotated[str, Field(max_length=MAX_FILE_BYTES)]


def _why(error: ValidationError | InvalidInput) -> str:
    if isinstance(error, InvalidInput):
        return f"not valid: {error.detail}"
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"][1:])  # [0] is the type tag
    return f"not valid: {where + ': ' if where else ''}{first['msg']}"


def import_questions(cmd: ImportQuestions, actor: Actor, deps: Deps) -> Done:
    bank = managed_bank(deps, actor, cmd.bank_id)
    try:
        parsed = PARSERS[cmd.format](cmd.source)
    except ValueError as e:
        raise InvalidInput(f"the file could not be read as {cmd.format}: {e}", fields={"source": str(e)}) from None
    if not parsed.questions and not parsed.unsupported:
        raise InvalidInput("the file holds no questions", fields={"source": "no questions found"})
    files = ImportedFiles(deps, actor, parsed)
    questions, used = [], set()
    for index, raw in parsed.questions:
        linked, uses, lost = files.link(raw)
        try:
            content = validate_content(linked)
            if foreign := unreadable_links(deps, actor, content, files.ours()):
                raise InvalidInput(f"it links media {foreign[0]}, which you may not read")
        except (ValidationError, InvalidInput) as e:
            parsed.skip(index, raw.get("title", ""), raw.get("type", "unknown"), _why(e))
            continue
        questions.append(Question.create(uuid4(), bank.id, content))
        used |= uses
        parsed.warnings += [f"'{content['title']}': {note}" for note in lost]
    unsupported = sorted(parsed.unsupported, key=lambda u: u["index"])
    if not questions:
        raise InvalidInput("the file holds no question SkillHub can import", fields={
            f"source.questions.{u['index']}": f"{u['name']} ({u['type']}): {u['reason']}" for u in unsupported})
    imported = [{"question_id": q.id, "title": q.content["title"], "type": q.content["type"]} for q in questions]
    media = files.keep(used)  # blobs first: an event never names bytes that are not stored
    position = record_bounded(deps, [(m, MEDIA_EVENT_BYTES) for m in media]
                              + [(q, len(json.dumps(q.content))) for q in questions])
    return Done(position, {"imported": imported, "unsupported": unsupported, "warnings": parsed.warnings})
