"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis): every
documented operation, called with generated valid input as each of the six roles (invalid input
as one of them in turn),
never answers 500, and every answer keeps to the document: a declared status, a declared content
type and, for JSON, the declared schema (problem+json for errors). A fixed budget, derandomized:
the same requests on every run.

    .venv/bin/python -m pytest -q -n 2 tests/api/test_fuzz.py

`FUZZ_EXAMPLES` (default 2) sets the examples per operation, mode and role; `FUZZ_PATHS` (a
regular expression) narrows the run to some paths, to reproduce a failure. docs/api.md says more."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from domain.identity import Role
from tests.api.conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # one role: minutes on a shared machine

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
PATHS = os.environ.get("FUZZ_PATHS")  # a regular expression: fuzz only the operations on these paths
# Ending the caller's own session would leave the rest of the run anonymous: that operation gets
# a login of its own on every call.
LOG_OUT = ("DELETE", "/api/v1/sessions/current")
# A stream without news stays open until `max_seconds` (up to 300): valid calls get one second.
BOUNDED = {"/api/v1/notifications/stream": {"max_seconds": 1}}


@pytest.fixture(scope="module")
def fuzzed_app(infra, workers):
    """An app of the fuzz run's own: schemathesis keeps its lifespan running until the process ends."""
    from api.app import create_app

    return create_app(infra)


@pytest.fixture(scope="module")
def api_schema(fuzzed_app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    return schema.include(path_regex=PATHS) if PATHS else schema


def _messages(exc: BaseException) -> list[str]:
    """The failures inside hypothesis' and schemathesis' exception groups (a flaky one included)."""
    if isinstance(exc, BaseExceptionGroup):
        return [m for e in exc.exceptions for m in _messages(e)]
    return [f"{type(exc).__name__}: {exc}"]


def fuzz(api_schema, role: Role, headers_for) -> tuple[int, list[str]]:
    """Calls every operation with valid input, and with invalid input as one role in turn (it is
    refused before roles matter, mostly): the requests made and what failed. Driven by hand rather
    than by schemathesis' pytest plugin, whose lazy loader breaks on pytest 9."""
    calls = 0
    failures: list[str] = []
    for n, result in enumerate(api_schema.get_all_operations()):
        operation = result.ok()
        invalid_too = list(Role)[n % len(Role)] == role
        for mode in [GenerationMode.POSITIVE, GenerationMode.NEGATIVE] if invalid_too else [GenerationMode.POSITIVE]:

            @given(case=operation.as_strategy(mode))
            @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def call(case: schemathesis.Case) -> None:
                nonlocal calls
                calls += 1
                if case.path in BOUNDED and mode == GenerationMode.POSITIVE:
                    case.query = {**(case.query or {}), **BOUNDED[case.path]}
                case.call_and_validate(headers=headers_for(case), checks=CHECKS)

            try:
                call()
            except Unsatisfiable:  # nothing in this operation can be made invalid
                pass
            except (Exception, BaseExceptionGroup) as exc:  # every failure is reported, then the test fails
                failures.append(f"{operation.label} ({mode}):\n" + "\n".join(_messages(exc)))
    return calls, failures


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_operation_keeps_to_its_document(role, api_schema, make_person, client):
    person = make_person() if role == Role.STUDENT else make_person(role)  # everyone registers a student

    def headers_for(case: schemathesis.Case) -> dict[str, str]:
        if (case.method.upper(), case.path) != LOG_OUT:
            return person.headers
        r = client.post("/api/v1/sessions", json={"email": person.email, "password": PASSWORD})
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    calls, failures = fuzz(api_schema, role, headers_for)
    print(f"fuzzed as {role}: {calls} requests, {len(failures)} failures")
    assert not failures, "\n\n".join(failures)


def test_linked_operations_keep_to_their_document(api_schema, make_person):
    """Stateful: sequences that follow the document's links (register, then read, update, grant a
    role, deactivate, erase; subscribe, then unsubscribe; apply, then decide), as an admin."""
    admin = make_person(Role.ADMIN)

    class Linked(api_schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": admin.headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    Linked.run(settings=settings(max_examples=EXAMPLES * 5, stateful_step_count=6, derandomize=True, database=None,
                                 deadline=None, phases=[Phase.explicit, Phase.generate],
                                 suppress_health_check=list(HealthCheck)))
