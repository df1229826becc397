"""Every JSON 2xx answer of the API declares its fields in the OpenAPI document, so a
response-schema check (schemathesis) can catch an answer that breaks it. Operations are grouped by
the api/<context> package that serves them, so a failure names the context to fix."""

from __future__ import annotations

import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute

import api
from domain.identity import Role

CONTEXTS = sorted(m.name for m in pkgutil.iter_modules(api.__path__) if m.ispkg)


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _untyped(schema: dict[str, Any], spec: dict[str, Any]) -> str | None:
    """Why this answer's schema describes nothing, or None when it names its fields."""
    schema = _resolve(schema, spec)
    if schema.get("type") == "array":
        return _untyped(schema.get("items", {}), spec)
    if "anyOf" in schema or "oneOf" in schema:
        parts = [p for p in schema.get("anyOf", schema.get("oneOf", [])) if p.get("type") != "null"]
        return next((why for p in parts if (why := _untyped(p, spec))), None) if parts else "only null"
    if not schema.get("properties"):
        return f"no declared fields: {schema}"
    return None


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """The routes, also inside included routers (FastAPI keeps those as routers)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (included := getattr(route, "original_router", None)) is not None:
            yield from _api_routes(included.routes)


def _operations(app: Any, context: str) -> list[tuple[str, str]]:
    found = set()
    for route in _api_routes(app.routes):
        if route.include_in_schema and route.endpoint.__module__.startswith(f"api.{context}."):
            found |= {(route.path_format, m.lower()) for m in route.methods if m != "HEAD"}
    return sorted(found)


@pytest.mark.parametrize("context", CONTEXTS)
def test_every_json_answer_declares_its_fields(app, context):
    spec = app.openapi()
    operations = _operations(app, context)
    if not operations:
        pytest.skip(f"api/{context} serves no operation in the OpenAPI document")
    untyped = []
    for path, method in operations:
        for status, answer in spec["paths"][path][method]["responses"].items():
            json = answer.get("content", {}).get("application/json")
            if status.startswith("2") and json is not None:
                if why := _untyped(json.get("schema", {}), spec):
                    untyped.append(f"{method.upper()} {path} {status}: {why}")
    assert not untyped, "\n".join(untyped)


def test_the_model_neither_drops_nor_adds_fields(client, make_person):
    """A response model also filters: the teacher still gets the join code, a student still
    does not (no null placeholder either)."""
    teacher, student = make_person(Role.TEACHER), make_person()
    r = client.post("/api/v1/classes", json={"name": "Filters 101"}, headers=teacher.headers)
    assert r.status_code == 201, r.text
    opened = r.json()
    assert set(opened) == {"class_id", "join_code", "position"}
    r = client.post("/api/v1/classes/join", json={"code": opened["join_code"]}, headers=student.headers)
    assert r.status_code == 200, r.text
    url, wait = f"/api/v1/classes/{opened['class_id']}", {"min_position": r.json()["position"]}
    as_teacher = client.get(url, headers=teacher.headers, params=wait).json()
    assert as_teacher["join_code"] == opened["join_code"] and as_teacher["role"] == "teacher"
    as_student = client.get(url, headers=student.headers, params=wait).json()
    assert "join_code" not in as_student and as_student["role"] == "student"
    assert as_student["student_count"] == 1
