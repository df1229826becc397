"""Every number a command or a request accepts has a documented range, and anything outside it
(beyond a bound, Infinity, NaN) is refused by validation, so nothing out of range is recorded.

Walks every pydantic model of commands/ and api/ and every operation of the OpenAPI document:
a new numeric field without bounds fails here."""

from __future__ import annotations

import importlib
import math
import pkgutil
import types
import typing
from typing import Annotated, Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel, TypeAdapter, ValidationError

import api
import commands


def _modules(package: types.ModuleType) -> list[types.ModuleType]:
    return [importlib.import_module(m.name) for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]


def _models() -> list[type[BaseModel]]:
    found = {}
    for module in _modules(commands) + _modules(api):
        if module.__name__.endswith(".responses"):
            continue  # response models: what the API answers, not what it accepts
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


def _numbers(annotation: Any, metadata: list[Any], path: str) -> list[tuple[str, Any]]:
    """(path, annotated type) of every number inside a field's type."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return _numbers(args[0], [*metadata, *annotation.__metadata__], path)
    if annotation in (int, float):
        return [(path, Annotated[(annotation, *metadata)] if metadata else annotation)]
    if origin in (typing.Union, types.UnionType):
        return [n for arg in args if arg is not type(None) for n in _numbers(arg, metadata, path)]
    if origin in (list, set, frozenset, tuple):
        return [n for arg in args if arg is not Ellipsis for n in _numbers(arg, [], f"{path}[]")]
    if origin is dict:
        return _numbers(args[1], [], f"{path}{{}}")
    return []  # models are walked on their own; strings, UUIDs, times, literals hold no number


NUMBER_FIELDS = [
    (f"{model.__module__}.{model.__qualname__}.{name}{sub}", typ)
    for model in _models() for name, field in model.model_fields.items()
    for sub, typ in _numbers(field.annotation, list(field.metadata), "")
]


def test_the_walk_finds_the_numbers():
    names = {name for name, _ in NUMBER_FIELDS}
    assert "commands.certification.gradebook.Category.weight" in names
    assert "commands.assessment.question_parts.NumericAnswer.value" in names
    assert len(names) > 30


OUT_OF_RANGE = [(1e20, "1e20"), (-1e20, "-1e20"), (2**64, str(2**64)), (-(2**64), str(-(2**64))),
                (math.inf, "Infinity"), (-math.inf, "-Infinity"), (math.nan, "NaN")]


@pytest.mark.parametrize("name,typ", NUMBER_FIELDS, ids=[name for name, _ in NUMBER_FIELDS])
def test_every_number_refuses_values_beyond_its_range(name, typ):
    adapter = TypeAdapter(typ)
    for value, as_json in OUT_OF_RANGE:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)
        with pytest.raises(ValidationError):
            adapter.validate_json(as_json)
    schema = adapter.json_schema()
    assert ("minimum" in schema or "exclusiveMinimum" in schema) and ("maximum" in schema or "exclusiveMaximum" in schema), name


@pytest.mark.parametrize("name,typ", [(n, t) for n, t in NUMBER_FIELDS if t is not int and "float" in str(t)],
                         ids=[n for n, t in NUMBER_FIELDS if t is not int and "float" in str(t)])
def test_no_float_comes_back_as_negative_zero(name, typ):
    adapter = TypeAdapter(typ)
    try:
        value = adapter.validate_python(-0.0)
    except ValidationError:
        return  # zero is out of this one's range
    assert math.copysign(1, value) == 1, name


def _openapi() -> dict[str, Any]:
    app = FastAPI()
    for module in _modules(api):
        if hasattr(module, "router"):
            app.include_router(module.router)
    return app.openapi()


def test_every_number_in_the_openapi_document_shows_its_range():
    spec = _openapi()
    components = spec["components"]["schemas"]
    unbounded: list[str] = []

    def walk(schema: Any, path: str, seen: frozenset[str]) -> None:
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(components[name], f"{path}<{name}>", seen | {name})
            return
        if schema.get("type") in ("number", "integer"):
            if not ({"minimum", "exclusiveMinimum"} & schema.keys() and {"maximum", "exclusiveMaximum"} & schema.keys()):
                unbounded.append(path)
        for key in ("anyOf", "oneOf", "allOf"):
            for part in schema.get(key, []):
                walk(part, path, seen)
        for key, part in schema.get("properties", {}).items():
            walk(part, f"{path}.{key}", seen)
        walk(schema.get("items"), f"{path}[]", seen)
        walk(schema.get("additionalProperties"), f"{path}{{}}", seen)

    for route, operations in spec["paths"].items():
        for method, op in operations.items():
            for parameter in op.get("parameters", []):
                walk(parameter["schema"], f"{method.upper()} {route} {parameter['in']}.{parameter['name']}", frozenset())
            for content in op.get("requestBody", {}).get("content", {}).values():
                walk(content.get("schema"), f"{method.upper()} {route} body", frozenset())
    assert not unbounded, unbounded
