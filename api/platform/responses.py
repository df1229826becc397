"""Response models of the platform routes, and the shapes every context's answers share: a write's
log position and a page of a list."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, Field

from projections.engine.tracking import ProjectionStatus

Item = TypeVar("Item")


class Written(BaseModel):
    """What every write answers (also in `X-Log-Position`): pass it as `min_position` to a read."""

    position: int


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None


class Health(BaseModel):
    status: str


class RelayState(BaseModel):
    position: int
    head: int
    lag: int
    active_relay: bool


class ChainCheckpoint(BaseModel):
    checkpoint: int
    last_position: int
    chain_hash: str


class Readiness(BaseModel):
    """`database` is "ok" or why it is unreachable (then nothing else is said)."""

    ready: bool
    database: str
    projections: list[ProjectionStatus] | None = None
    lagging: list[str] | None = None
    failing: list[str] | None = None
    audit_chain: ChainCheckpoint | None = None
    kafka_relay: RelayState | None = None


class EventSchemaEntry(BaseModel):
    type: str
    topic: str
    schema_url: str = Field(alias="schema")  # the JSON Schema's address


class HistoryRecord(BaseModel):
    """One stored event as auditors and a person's own download see it; secrets `"[redacted]"`."""

    position: int
    type: str
    topic: str
    aggregate_id: UUID
    aggregate_version: int
    time: datetime
    actor_id: UUID | None
    command_id: UUID | None
    data: dict[str, Any]


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """The body of every error answer (api/platform/problems.py renders it)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None
