"""One guard for every route: no request may carry text the read models cannot store (NUL,
unpaired surrogates; domain/storable_text.py). It runs as an app-wide dependency, after
routing (so path parameters have their names) and after FastAPI parsed a JSON body, and
answers 422 naming the field as pydantic would (`path.x`, `query.q`, `body.a.0.b`).

Besides keeping the event log clean (domain.event_conventions.Root refuses the same for every
event, whatever path a value took), it keeps such text out of SQL parameters: PostgreSQL
refuses NUL in text, which would otherwise be a 500 for a search, filter or cursor."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from domain.errors import InvalidInput
from domain.storable_text import unstorable


def _is_json(content_type: str) -> bool:
    # The media types FastAPI parses as JSON (application/json, application/*+json).
    main, _, sub = content_type.split(";")[0].strip().lower().partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


async def _parsed_body(request: Request) -> Any:
    """The JSON body FastAPI already parsed for the route (cached on the request); None when
    the route takes no JSON body, so a streamed upload or import is never read here."""
    route = request.scope.get("route")
    if getattr(route, "body_field", None) is None or not _is_json(request.headers.get("content-type", "")):
        return None
    if not await request.body():
        return None
    return await request.json()


def _in_query(request: Request) -> tuple[str, str] | None:
    # Every value of a repeated parameter (?tag=a&tag=b): a list parameter gets them all.
    for name, value in request.query_params.multi_items():
        if found := unstorable({name: value}, "query"):
            return found
    return None


async def refuse_unstorable_input(request: Request) -> None:
    found = (unstorable(dict(request.path_params), "path") or _in_query(request)
             or unstorable(await _parsed_body(request), "body"))
    if found:
        field, problem = found
        raise InvalidInput(f"{field} {problem}", fields={field: problem})
