"""JSON Schemas (draft 2020-12) of the `data` of every event type, generated from the code.

Built from each event class's dataclass fields and type hints through a pydantic model, with
the shape the data has on the wire: secret fields absent, personal fields sealed strings.
"""

from __future__ import annotations

import json
import types
import typing
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints, create_model

from adapters.events.cloudevents import data_fields, topic_for
from domain.contexts import context_of, event_classes, event_type
from domain.event_conventions import ERASED

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SEALED_PATTERN = r"^(pd1:[A-Za-z0-9+/=]+|\[erased\])$"
Sealed = Annotated[str, StringConstraints(pattern=SEALED_PATTERN)]
_SEALED_HELP = f"personal data, sealed with the person's key ('pd1:' + base64), or {ERASED!r}"


def _nullable(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation)


def schema_for(event_class: type) -> dict[str, Any]:
    name = event_type(event_class)
    hints = typing.get_type_hints(event_class, include_extras=True)
    personal = set(getattr(event_class, "personal_fields", ()))
    fields: dict[str, Any] = {}
    for field in data_fields(event_class):
        annotation = hints[field]
        if field in personal:
            sealed = Sealed | None if _nullable(annotation) else Sealed
            fields[field] = (sealed, Field(description=_SEALED_HELP))
        else:
            fields[field] = (annotation, ...)
    model = create_model(name, __config__=ConfigDict(extra="forbid"), **fields)
    secrets = sorted(getattr(event_class, "secret_fields", ()))
    description = f"The `data` of {name} CloudEvents on the Kafka topic {topic_for(context_of(event_class))}."
    if secrets:
        description += f" Secret fields are never published: {', '.join(secrets)}."
    return {
        "$schema": DIALECT,
        "$id": f"https://skillhub.dev/schemas/events/{name}.json",
        "description": description,
        **model.model_json_schema(),
    }


@cache
def all_schemas() -> dict[str, dict[str, Any]]:
    return {event_type(cls): schema_for(cls) for cls in event_classes()}


def schema_index() -> list[dict[str, str]]:
    """Each event type with the topic it is published on."""
    return [{"type": event_type(cls), "topic": topic_for(context_of(cls))} for cls in event_classes()]


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(directory: Path) -> tuple[list[Path], list[Path]]:
    """Write one <type>.json per event type; remove files of types that no longer exist."""
    directory.mkdir(parents=True, exist_ok=True)
    schemas = all_schemas()
    written = []
    for name, schema in schemas.items():
        path = directory / f"{name}.json"
        path.write_text(render(schema))
        written.append(path)
    stale = [p for p in directory.glob("skillhub.*.json") if p.stem not in schemas]
    for path in stale:
        path.unlink()
    return written, stale
