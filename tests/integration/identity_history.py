"""A varied identity history for comparing ways of building the read model: every event type
the identity projection handles, each person's events spread over many saves at random so that
batches of any size cut through their histories at many points."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from adapters.infrastructure import Infrastructure
from domain.creator_applications import CreatorApplication
from domain.event_conventions import Cause, caused_by
from domain.identity import Role, User
from domain.sessions import Session
from tests.integration.conftest import _HASH

Step = Callable[[], Any]  # changes an aggregate, returns it (to be saved)


def _person(i: int, admin: User, rng: random.Random) -> Iterator[Step]:
    user: list[User] = []
    yield lambda: user.append(User.register(uuid4(), f"h{i}-{uuid4().hex[:6]}@history.example.com", f"P {i}", _HASH)) or user[0]
    yield lambda: _did(user[0].update_profile(f"P {i}", f'bio "{i}" \\ {{x}}, NULL'), user[0])
    yield lambda: _did(user[0].grant_role(Role.TEACHER), user[0])
    if i % 2:
        yield lambda: _did(user[0].revoke_role(Role.TEACHER, admin.id), user[0])
        yield lambda: _did(user[0].grant_role(Role.TEACHER), user[0])
    soon = datetime.now(UTC) + timedelta(days=1)
    for s in range(rng.randint(1, 3)):
        session: list[Session] = []
        yield lambda: session.append(Session.start(uuid4(), user[0].id, "t0", soon, f"10.0.0.{i}", f"agent {s}")) or session[0]
        yield lambda: _did(session[0].rotate("t0", "t1", soon, datetime.now(UTC)), session[0])
        if s % 2 == 0:
            yield lambda: _did(session[0].revoke("logout"), session[0])
    if i % 3 == 0:
        application: list[CreatorApplication] = []
        yield lambda: application.append(CreatorApplication.submit(user[0].id, f"motivation {i}")) or application[0]
        yield lambda: _did(application[0].reject(admin.id, "not yet"), application[0])
        yield lambda: _did(application[0].resubmit(f"again {i}"), application[0])
        yield lambda: _did(application[0].approve(admin.id), application[0])
    if i % 7 == 0:
        yield lambda: _did(user[0].deactivate("left"), user[0])
    elif i % 11 == 0:
        yield lambda: _did(user[0].erase(), user[0])


def _did(_: Any, aggregate: Any) -> Any:
    return aggregate


def record_history(infra: Infrastructure, people: int, seed: int = 7) -> int:
    """Save the people's histories interleaved at random, a few aggregates per save; returns
    how many people were created (the admin included)."""
    rng = random.Random(seed)
    with caused_by(Cause(None, uuid4())):
        admin = User.register(uuid4(), "admin@history.example.com", "Admin", _HASH)
        admin.grant_role(Role.ADMIN)
        infra.store.record(admin)
        pending = [_person(i, admin, rng) for i in range(people)]
        while pending:
            changed = {}
            for steps in rng.sample(pending, min(len(pending), rng.randint(1, 4))):
                step = next(steps, None)
                if step is None:
                    pending.remove(steps)
                    continue
                aggregate = step()
                changed[aggregate.id] = aggregate
            if changed:
                infra.store.record(*changed.values())
    return people + 1
