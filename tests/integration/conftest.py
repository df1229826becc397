"""A database of its own per test, and a fast way to fill it with real identity events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from adapters.infrastructure import Infrastructure, open_infrastructure
from adapters.security.passwords import hash_password
from domain.event_conventions import Cause, caused_by
from domain.identity import Role, User
from domain.sessions import Session
from tests.conftest import settings_for
from workers.startup import prepare

_HASH = hash_password("a password for seeding")


@pytest.fixture
def fresh_infra(make_database, tmp_path) -> Iterator[Infrastructure]:
    infra = open_infrastructure(settings_for(tmp_path), make_database())
    prepare(infra)
    yield infra
    infra.close()


def seed_people(infra: Infrastructure, count: int, per_save: int = 50) -> list[User]:
    """Each person: registered, profile updated, a role, a login (4 events)."""
    people: list[User] = []
    with caused_by(Cause(None, uuid4())):
        for start in range(0, count, per_save):
            batch = []
            for i in range(start, min(start + per_save, count)):
                user = User.register(uuid4(), f"p{i}-{uuid4().hex[:6]}@seed.example.com", f"Person {i}", _HASH)
                user.update_profile(f"Person {i}", f"bio of {i}")
                user.grant_role(Role.TEACHER)
                session = Session.start(uuid4(), user.id, "refresh-secret", datetime.now(UTC) + timedelta(days=1), "127.0.0.1", "seed")
                batch += [user, session]
                people.append(user)
            infra.store.record(*batch)
    return people
