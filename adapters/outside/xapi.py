"""xAPI 2.0 (IEEE 9274.1.1) statements and the Learning Record Store's statements resource.

Statements are built from plain values (the learning events are translated in
workers/streaming/xapi_statements.py). The rules kept here, and checked by tests/xapi_rules.py:
- the actor is an Agent identified by an account on SkillHub (homePage = the platform's public
  URL, name = the person's id): never an e-mail address (mbox) nor a display name;
- verbs are ADL verb IRIs; activity ids are IRIs under the platform's public URL;
- a score's `scaled` lies in [-1, 1] and `raw` between `min` and `max`;
- timestamps are ISO 8601 in UTC; the statement id is a UUID derived from the event and the
  verb, so sending the same event again sends the same statement (an LRS keeps it once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

import httpx

XAPI_VERSION = "2.0.0"
STATEMENT_NAMESPACE = UUID("6f1c3f4e-8a59-5b0e-9d0a-2c7e5f3b1a90")  # SkillHub's, for statement ids
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
PROGRESS_EXTENSION = "https://w3id.org/xapi/cmi5/result/extensions/progress"  # 0..100, as cmi5 has it
VERBS = ("launched", "progressed", "completed", "answered", "passed", "failed", "scored")


def statement_id(aggregate_id: UUID, version: int, verb: str) -> UUID:
    return uuid5(STATEMENT_NAMESPACE, f"{aggregate_id}:{version}:{verb}")


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Activity:
    iri: str
    type: str  # the last part of an ADL activity type IRI: lesson, course, assessment, cmi.interaction
    name: str | None = None

    def as_object(self) -> dict[str, Any]:
        definition: dict[str, Any] = {"type": ADL_ACTIVITIES + self.type}
        if self.name:
            definition["name"] = {"en": self.name}
        return {"objectType": "Activity", "id": self.iri, "definition": definition}


def agent(home_page: str, person_id: UUID) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": str(person_id)}}


def score(raw: float, max_score: float) -> dict[str, Any] | None:
    """None when there is nothing to scale by (a quiz worth 0 points)."""
    if max_score <= 0:
        return None
    raw = min(max(raw, 0.0), max_score)
    return {"raw": raw, "min": 0, "max": max_score, "scaled": round(raw / max_score, 6)}


def statement(*, aggregate_id: UUID, version: int, verb: str, actor: dict[str, Any], activity: Activity,
              when: datetime, parents: tuple[Activity, ...] = (), result: dict[str, Any] | None = None,
              registration: UUID | None = None) -> dict[str, Any]:
    if verb not in VERBS:
        raise ValueError(f"unknown verb {verb}")
    context: dict[str, Any] = {"platform": "SkillHub"}
    if parents:
        context["contextActivities"] = {"parent": [{"objectType": "Activity", "id": p.iri} for p in parents]}
    if registration is not None:
        context["registration"] = str(registration)
    made = {"id": str(statement_id(aggregate_id, version, verb)), "actor": actor,
            "verb": {"id": ADL_VERBS + verb, "display": {"en-US": verb}},
            "object": activity.as_object(), "context": context, "timestamp": timestamp(when)}
    if result:
        made["result"] = result
    return made


class LrsError(Exception):
    """The LRS did not store a batch (unreachable, refused, or answered an error)."""


class LrsClient:
    """POSTs batches of statements to an LRS's statements resource (HTTP Basic auth)."""

    def __init__(self, url: str, user: str | None, password: str | None, timeout: float) -> None:
        auth = httpx.BasicAuth(user, password or "") if user else None
        self.url = url
        self.http = httpx.Client(auth=auth, timeout=timeout, headers={"X-Experience-API-Version": XAPI_VERSION})

    def send(self, statements: list[dict[str, Any]]) -> None:
        """Stored, or raises LrsError. A statement the LRS already has (same id, same content:
        a re-send after a crash) is accepted by the LRS as it is."""
        try:
            r = self.http.post(self.url, json=statements)
        except httpx.HTTPError as e:
            raise LrsError(f"{type(e).__name__}: {e}") from e
        if r.status_code not in (200, 204):
            raise LrsError(f"HTTP {r.status_code}: {r.text[:200]}")

    def close(self) -> None:
        self.http.close()
