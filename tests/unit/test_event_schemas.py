"""The event catalogue and its JSON Schemas: complete, in sync with docs/schemas, strict."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from adapters.events.event_schemas import all_schemas, render, schema_index
from domain.contexts import (
    CONTEXTS,
    UnknownContext,
    context_of,
    event_classes,
    event_type,
)
from domain.identity import User

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
REGENERATE = "run `skillhub events schemas --output docs/schemas`"


def test_docs_schemas_are_the_generated_set():
    published = {p.stem: p.read_text() for p in DOCS.glob("*.json")}
    generated = {name: render(schema) for name, schema in all_schemas().items()}
    assert sorted(set(generated) - set(published)) == [], f"event types without a published schema: {REGENERATE}"
    assert sorted(set(published) - set(generated)) == [], f"schemas of event types that no longer exist: {REGENERATE}"
    stale = sorted(name for name in generated if generated[name] != published[name])
    assert stale == [], f"schemas out of date: {REGENERATE}"


def test_catalogue_has_every_event_type_once_and_no_generated_bases():
    types = [event_type(cls) for cls in event_classes()]
    assert len(types) == len(set(types)) == len(all_schemas()) == len(schema_index())
    assert "skillhub.identity.User.Registered" in types
    assert "skillhub.identity.User.Event" not in types and "skillhub.identity.User.Created" not in types
    assert "skillhub.catalog.Course.Created" in types  # a Created event an aggregate defines itself
    for cls in event_classes():
        assert context_of(cls) in CONTEXTS
        assert getattr(cls, "apply", None) is not None


def test_modules_map_to_contexts_in_one_place():
    assert context_of(User.Registered) == "identity"

    class Stray:
        __module__ = "domain.somewhere_new"

    with pytest.raises(UnknownContext, match="MODULE_CONTEXTS"):
        context_of(Stray)


def test_schemas_describe_the_wire_shape_strictly():
    schema = all_schemas()["skillhub.identity.User.Registered"]
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    sealed = {"email": "pd1:QUJD", "display_name": "[erased]", "roles": ["student"]}
    assert list(validator.iter_errors(sealed)) == []
    assert "password_hash" not in schema["properties"] and "password_hash" in schema["description"]

    plain = {**sealed, "email": "alice@example.com"}
    with_secret = {**sealed, "password_hash": "pd1:QUJD"}
    missing = {"email": "pd1:QUJD", "roles": []}
    wrong_type = {**sealed, "roles": "student"}
    for bad in (plain, with_secret, missing, wrong_type):
        assert list(validator.iter_errors(bad)), bad

    started = Draft202012Validator(all_schemas()["skillhub.identity.Session.Started"],
                                   format_checker=Draft202012Validator.FORMAT_CHECKER)
    good = {"user_id": "5a1f0c53-0b8e-4c57-9d5e-0c0d8f1c9a11", "expires_at": "2030-01-01T00:00:00Z",
            "address": "pd1:QUJD", "user_agent": "pd1:QUJD"}
    assert list(started.iter_errors(good)) == []
    assert list(started.iter_errors({**good, "user_id": "not-a-uuid"}))
