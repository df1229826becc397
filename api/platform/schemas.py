"""The published JSON Schemas of event data, for consumers of the Kafka topics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from adapters.events.event_schemas import all_schemas, schema_index
from api.platform.media_types import JSON_SCHEMA, answers
from api.platform.responses import EventSchemaEntry
from domain.errors import NotFound

router = APIRouter(prefix="/api/v1/schemas", tags=["event streaming"])


@router.get("", response_model=list[EventSchemaEntry], description="Who: anyone. Every event type with its Kafka topic and schema URL.")
def list_schemas() -> list[dict[str, Any]]:
    return [{**entry, "schema": f"/api/v1/schemas/{entry['type']}"} for entry in schema_index()]


@router.get("/{event_type}", response_class=Response, responses=answers(JSON_SCHEMA), description="Who: anyone. The JSON Schema of one event type's `data`.")
def get_schema(event_type: str) -> JSONResponse:
    schema = all_schemas().get(event_type)
    if schema is None:
        raise NotFound(f"no event type {event_type!r}; GET /api/v1/schemas lists them")
    return JSONResponse(schema, media_type="application/schema+json")
