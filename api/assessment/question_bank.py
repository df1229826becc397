"""Question bank endpoints: banks, questions, Moodle GIFT / XML import and export.
A bank is visible to whoever manages it only; anyone else gets 404."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.assessment.responses.question_bank import (
    Bank,
    BankCreated,
    BankWithCount,
    ExportedFile,
    Imported,
    Question,
    QuestionAdded,
    QuestionRevised,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Page, Recorded
from api.platform.media_types import PLAIN_TEXT, XML, answers
from api.platform.problem_statuses import TOO_LARGE
from api.platform.read_position import read_after
from commands.access.assessment_access import require_bank_owner
from commands.access.media_access import embeddable_files
from commands.assessment import question_bank as bank_commands
from commands.assessment.question_import import (
    MAX_FILE_BYTES,
    ImportQuestions,
    import_questions,
)
from commands.assessment.question_specs import QuestionSpec
from commands.pipeline import require_login
from domain.errors import InvalidInput, TooLarge
from domain.question_bank import BankOwner, QuestionType
from projections.assessment import question_bank_queries as queries
from projections.assessment.question_bank import question_bank
from projections.engine.tracking import NotCaughtUp

router = APIRouter(prefix="/api/v1", tags=["assessment"])
Limit = Annotated[int, Query(ge=1, le=200)]
FileFormat = Annotated[Literal["gift", "moodle_xml"], Query(description="gift or moodle_xml")]
_FILE_BODY = {"requestBody": {"required": True, "content": {
    "text/plain": {"schema": {"type": "string"}}, "application/xml": {"schema": {"type": "string"}}}}}
_MEDIA = {"gift": "text/plain; charset=utf-8", "moodle_xml": "application/xml"}
_SUFFIX = {"gift": "gift.txt", "moodle_xml": "xml"}


class QuestionBody(BaseModel):
    question: QuestionSpec


class BankTitle(BaseModel):
    title: bank_commands.Title



@router.post("/question-banks", response_model=BankCreated, status_code=201, description=(
    "Who: teachers (their own bank, without course_id) and course owners (a bank of their course)."))
def create_bank(body: bank_commands.CreateBank, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(bank_commands.create_bank, body, actor, deps, response)


@router.get("/question-banks", response_model=list[Bank], description=(
    "Who: any logged-in person: their own banks, and with course_id the banks of a course they own."))
def list_banks(actor: ActorDep, deps: DepsDep, course_id: UUID | None = None, _: None = read_after([question_bank])) -> list[dict[str, Any]]:
    owners = [require_login(actor)]
    if course_id is not None:
        require_bank_owner(deps, actor, BankOwner.COURSE, course_id)
        owners.append(course_id)
    return queries.banks_of(deps.pool, owners)


@router.get("/question-banks/{bank_id}", response_model=BankWithCount, description="Who: the bank's teacher or course owner, and admins.")
def get_bank(bank_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([question_bank])) -> dict[str, Any]:
    bank_commands.managed_bank(deps, actor, bank_id)
    found = queries.bank(deps.pool, bank_id)
    if found is None:  # the aggregate exists; its read model has not caught up
        raise NotCaughtUp(f"bank {bank_id} is not in the read model yet; pass min_position or retry")
    return found


@router.patch("/question-banks/{bank_id}", response_model=Recorded, description="Who: the bank's teacher or course owner, and admins.")
def rename_bank(bank_id: UUID, body: BankTitle, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(bank_commands.rename_bank, bank_commands.RenameBank(bank_id=bank_id, title=body.title), actor, deps, response)


@router.post("/question-banks/{bank_id}/questions", response_model=QuestionAdded, status_code=201, description=(
    "Who: the bank's teacher or course owner, and admins. The body's `question.type` picks the type."))
def add_question(bank_id: UUID, body: QuestionBody, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = bank_commands.AddQuestion(bank_id=bank_id, question=body.question)
    return run(bank_commands.add_question, cmd, actor, deps, response)


@router.get("/question-banks/{bank_id}/questions", response_model=Page[Question], description=(
    "Who: the bank's teacher or course owner, and admins. Filter by skill, tag or type."))
def list_questions(
    bank_id: UUID, actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None,
    skill: str | None = None, tag: str | None = None, type: QuestionType | None = None,  # noqa: A002
    include_retired: bool = False, _: None = read_after([question_bank]),
) -> dict[str, Any]:
    bank_commands.managed_bank(deps, actor, bank_id)
    return queries.questions(deps.pool, bank_id, limit=limit, cursor=cursor, skill=skill, tag=tag,
                             kind=type.value if type else None, include_retired=include_retired)


@router.get("/questions/{question_id}", response_model=Question, description="Who: the manager of the question's bank, and admins.")
def get_question(question_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([question_bank])) -> dict[str, Any]:
    bank_commands.managed_question(deps, actor, question_id)
    found = queries.question(deps.pool, question_id)
    if found is None:  # the aggregate exists; its read model has not caught up
        raise NotCaughtUp(f"question {question_id} is not in the read model yet; pass min_position or retry")
    return found


@router.put("/questions/{question_id}", response_model=QuestionRevised, description=(
    "Who: the manager of the question's bank, and admins. Published quizzes keep the content they copied."))
def revise_question(question_id: UUID, body: QuestionBody, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = bank_commands.ReviseQuestion(question_id=question_id, question=body.question)
    return run(bank_commands.revise_question, cmd, actor, deps, response)


@router.delete("/questions/{question_id}", response_model=Recorded, description=(
    "Who: the manager of the question's bank, and admins. Retires it: new quiz versions no longer use it."))
def retire_question(question_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(bank_commands.retire_question, bank_commands.QuestionRef(question_id=question_id), actor, deps, response)


@router.post("/question-banks/{bank_id}/imports", response_model=Imported, openapi_extra=_FILE_BODY, responses=TOO_LARGE, description=(
    "Who: the bank's teacher or course owner, and admins. The body is the file (UTF-8, at most 5 MiB)."
    " Answers the imported questions, the ones left out with the reason (unsupported types, invalid"
    " content) and conversion warnings."))
async def import_file(bank_id: UUID, request: Request, format: FileFormat, actor: ActorDep, deps: DepsDep,  # noqa: A002
                      response: Response) -> dict[str, Any]:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FILE_BYTES:
            raise TooLarge(f"question files are limited to {MAX_FILE_BYTES} bytes")
    try:
        source = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the file is not UTF-8 text", fields={"body": "not UTF-8"}) from None
    cmd = ImportQuestions(bank_id=bank_id, format=format, source=source)
    return await run_in_threadpool(run, import_questions, cmd, actor, deps, response)


@router.get("/question-banks/{bank_id}/export", response_model=ExportedFile, responses=answers(PLAIN_TEXT, XML), description=(
    "Who: the bank's teacher or course owner, and admins. The bank's live questions as a GIFT or Moodle XML file"
    " (header `X-Export-Warnings`: how many losses). With `Accept: application/json`: {format, filename, content,"
    " warnings, not_exported}, the losses as the import lists them: what the format cannot express, never dropped"
    " silently (also named in comments in the file). Moodle XML embeds the files the texts link (base64)."))
def export_file(request: Request, bank_id: UUID, format: FileFormat, actor: ActorDep, deps: DepsDep,  # noqa: A002
                _: None = read_after([question_bank])) -> Response | dict[str, Any]:
    bank_commands.managed_bank(deps, actor, bank_id)
    written = queries.export_bank(deps.pool, bank_id, format, embeddable_files(deps, actor))
    filename = f"questions.{_SUFFIX[format]}"
    if "application/json" in request.headers.get("accept", ""):
        return {"format": format, "filename": filename, "content": written.text, "warnings": written.warnings,
                "not_exported": written.not_exported}
    losses = len(written.warnings) + len(written.not_exported)
    return Response(written.text, media_type=_MEDIA[format], headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "X-Export-Warnings": str(losses)})
