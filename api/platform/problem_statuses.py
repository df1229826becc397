"""Every operation in the OpenAPI document lists the problem+json statuses it can answer, derived
from the route once when the document is built: a caller that may be anyone but sends a bad token
gets 401, one without the right role or relation 403; anything named by id (in the path or the
body) may be missing, 404; parameters and bodies may be invalid, 422 (a body that is not JSON,
400); a write may clash with another or break a rule, 409; a read that waits for `min_position`
may time out, 503. Statuses a route alone knows (429, 413, 416) it declares with `responses=`
(`THROTTLED`, `TOO_LARGE` below); every 4xx/5xx gets the problem body, beside any content the
route declares itself (a page's HTML 404)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from api.platform.auth import get_actor
from api.platform.read_position import read_after
from api.platform.responses import Problem

_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_WHY = {
    400: "The body is not valid JSON.",
    401: "The access token is missing where one is needed, malformed, expired or revoked.",
    403: "The caller may not do this (role, ownership or membership).",
    404: "Something the request names does not exist, or the caller may not know that it does.",
    409: "A concurrent change, or a rule the request would break.",
    413: "The upload is too large.",
    416: "The requested byte range lies outside the content.",
    422: "Invalid fields, named under `errors`.",
    429: "Too many tries; `Retry-After` says when to try again.",
    503: "The read models have not reached `min_position` yet; `Retry-After` says when to try again.",
}
_FASTAPI_422 = {"$ref": "#/components/schemas/HTTPValidationError"}
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_WAITS = read_after([]).dependency.__qualname__  # every read_after dependency is this function

THROTTLED: dict[int | str, dict[str, Any]] = {429: {"description": _WHY[429]}}
TOO_LARGE: dict[int | str, dict[str, Any]] = {413: {"description": _WHY[413]}}


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def api_routes(app: FastAPI) -> Iterator[RouteContext]:
    """The documented operations' routes, as included (prefixes and app dependencies applied)."""
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute) and route.include_in_schema:
            yield route


def statuses_of(route: RouteContext) -> set[int]:
    calls = set(_calls(route.dependant))
    found: set[int] = set()
    d = route.dependant
    if get_actor in calls:
        found |= {401, 403}
    if any(getattr(c, "__qualname__", "") == _WAITS for c in calls):
        found.add(503)
    if d.path_params or d.body_params or any(p.name != "min_position" for p in d.query_params):
        found.add(404)
    if d.path_params or d.query_params or d.header_params or d.body_params:
        found.add(422)
    if d.body_params:
        found.add(400)
    if route.methods & _WRITES:
        found |= {404, 409, 422}  # 422 also for an Idempotency-Key reused for another request
    return found


def declare(app: FastAPI) -> None:
    """Builds the document with these statuses (call after every router is included)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description,
                          routes=app.routes, servers=app.servers)
        for route in api_routes(app):
            item = doc["paths"][route.path_format]
            for method in route.methods:
                responses = item[method.lower()]["responses"]
                derived = {str(status) for status in statuses_of(route)}
                for status in derived:
                    kept = responses.get(status, {}).get("description", "Validation Error")
                    responses.setdefault(status, {})["description"] = _WHY[int(status)] if kept == "Validation Error" else kept
                for status, response in responses.items():
                    content = response.setdefault("content", {})
                    if content.get("application/json", {}).get("schema") == _FASTAPI_422:
                        del content["application/json"]
                    # Beside what the route declares (a page's own HTML 404); a route's own error
                    # body (readiness' 503) and a 416 (no body) stay as declared.
                    if status[0] in "45" and (status in derived or not content) and status != "416":
                        content.update(_PROBLEM)
                    if not content:
                        del response["content"]
                item[method.lower()]["responses"] = dict(sorted(responses.items()))
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        for unused in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422, replaced above
            schemas.pop(unused, None)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
