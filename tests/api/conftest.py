"""People with roles, logged in, for API tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from commands.identity.roles import ChangeRole, grant_role
from commands.pipeline import SYSTEM, execute
from domain.identity import Role

PASSWORD = "correct horse battery"


@dataclass
class Person:
    user_id: str
    email: str
    headers: dict[str, str]
    tokens: dict[str, Any]
    position: int


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@school.example.com"


@pytest.fixture
def make_person(client, app):
    """make_person(*roles) registers, grants roles (as the system admin) and logs in."""

    def make(*roles: Role, email: str | None = None, password: str = PASSWORD) -> Person:
        email = email or unique_email(roles[0].value if roles else "student")
        r = client.post("/api/v1/users", json={"email": email, "password": password, "display_name": "Test Person"})
        assert r.status_code == 201, r.text
        user_id = r.json()["user_id"]
        for role in roles:
            execute(grant_role, ChangeRole(user_id=user_id, role=role), SYSTEM, app.state.deps)
        r = client.post("/api/v1/sessions", json={"email": email, "password": password})
        assert r.status_code == 201, r.text
        tokens = r.json()
        return Person(user_id, email, {"Authorization": f"Bearer {tokens['access_token']}"}, tokens, tokens["position"])

    return make
