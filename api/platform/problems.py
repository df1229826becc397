"""Every error as RFC 9457 problem+json; never a stack trace to the client."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from domain import errors
from projections.engine.tracking import NotCaughtUp

log = logging.getLogger(__name__)

STATUS: dict[type[errors.SkillhubError], int] = {
    errors.InvalidInput: 422,
    errors.Unauthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.RuleBroken: 409,
    errors.Locked: 423,
    errors.TooLarge: 413,
    errors.Throttled: 429,
    NotCaughtUp: 503,
}


def problem(
    status: int, title: str, detail: str, request: Request,
    field_errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://skillhub.dev/problems/{title.lower().replace(' ', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if field_errors:
        body["errors"] = field_errors
    return JSONResponse(body, status_code=status, headers=headers, media_type="application/problem+json")


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.SkillhubError)
    async def domain_error(request: Request, exc: errors.SkillhubError) -> JSONResponse:
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        headers = {}
        if isinstance(exc, errors.Throttled):
            headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, NotCaughtUp):
            headers["Retry-After"] = "1"
        if isinstance(exc, errors.Unauthenticated):
            headers["WWW-Authenticate"] = "Bearer"
        fields = [{"field": k, "message": v} for k, v in exc.fields.items()]
        return problem(status, exc.title, exc.detail, request, fields, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        malformed = any(e["type"] == "json_invalid" for e in exc.errors())
        status = 400 if malformed else 422
        detail = "the request body is not valid JSON" if malformed else "the request has invalid fields"
        return problem(status, "Invalid input", detail, request, fields)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed", 413: "Too large"}
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        return problem(exc.status_code, titles.get(exc.status_code, "Error"), detail, request,
                       headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "Internal error", "something went wrong on our side", request)
