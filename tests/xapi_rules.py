"""The xAPI 2.0 statement rules (IEEE 9274.1.1, part 2, section 2.4) that SkillHub's statements
must keep, checked independently of how adapters/outside/xapi.py builds them. Returns the broken rules."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")  # RFC 5646, enough for language maps
_ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                   "version", "attachments"}


def is_iri(value: Any) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme and (parts.netloc or parts.scheme in ("urn", "mailto")))


def _language_map(value: Any, where: str) -> list[str]:
    if not isinstance(value, dict) or not value:
        return [f"{where} is not a language map"]
    return [f"{where} has a bad language tag {k!r}" for k in value if not _LANGUAGE_TAG.match(k)]


def _agent(actor: Any) -> list[str]:
    if not isinstance(actor, dict) or actor.get("objectType", "Agent") != "Agent":
        return ["actor is not an Agent"]
    ifis = [k for k in _IFIS if k in actor]
    broken = [] if len(ifis) == 1 else [f"actor has {len(ifis)} inverse functional identifiers"]
    if "mbox" in actor or "mbox_sha1sum" in actor:
        broken.append("actor is identified by an e-mail address")
    account = actor.get("account")
    if not isinstance(account, dict) or not is_iri(account.get("homePage")) or not account.get("name"):
        broken.append("actor.account needs an IRL homePage and a name")
    return broken


def _result(result: Any) -> list[str]:
    broken = []
    score = result.get("score")
    if score is not None:
        scaled, raw, low, high = (score.get(k) for k in ("scaled", "raw", "min", "max"))
        if scaled is not None and not -1 <= scaled <= 1:
            broken.append(f"result.score.scaled {scaled} is outside [-1, 1]")
        if low is not None and high is not None and not low < high:
            broken.append("result.score.min is not below max")
        if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
            broken.append("result.score.raw is outside min..max")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            broken.append(f"result.{key} is not a boolean")
    broken += [f"result extension {k} is not an IRI" for k in result.get("extensions", {}) if not is_iri(k)]
    return broken


def statement_problems(s: dict[str, Any]) -> list[str]:
    broken = [f"unknown property {k}" for k in s if k not in _STATEMENT_KEYS]
    try:
        if str(uuid.UUID(s["id"])) != s["id"]:
            broken.append("id is not a UUID in canonical form")
    except (KeyError, ValueError, TypeError):
        broken.append("id is missing or not a UUID")
    broken += _agent(s.get("actor"))
    verb = s.get("verb", {})
    if not is_iri(verb.get("id")):
        broken.append("verb.id is not an IRI")
    broken += _language_map(verb.get("display"), "verb.display") if "display" in verb else []
    obj = s.get("object", {})
    if obj.get("objectType", "Activity") != "Activity" or not is_iri(obj.get("id")):
        broken.append("object is not an Activity with an IRI id")
    definition = obj.get("definition", {})
    if "type" in definition and not is_iri(definition["type"]):
        broken.append("object.definition.type is not an IRI")
    if "name" in definition:
        broken += _language_map(definition["name"], "object.definition.name")
    broken += _result(s.get("result", {}))
    context = s.get("context", {})
    if "registration" in context:
        try:
            uuid.UUID(context["registration"])
        except ValueError:
            broken.append("context.registration is not a UUID")
    for kind, activities in context.get("contextActivities", {}).items():
        broken += [f"context {kind} activity id is not an IRI" for a in activities if not is_iri(a.get("id"))]
    stamp = s.get("timestamp")
    if not isinstance(stamp, str) or not _ISO_8601.match(stamp):
        broken.append("timestamp is not ISO 8601 with a time zone")
    else:
        datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return broken
