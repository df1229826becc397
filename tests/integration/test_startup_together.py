"""Processes started at the same moment on a new database (`skillhub serve --workers none` beside
`skillhub worker projections`) all create the tables they need; none fails on the other's DDL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from uuid import uuid4

from adapters.infrastructure import Infrastructure, open_infrastructure
from domain.event_conventions import Cause, caused_by
from domain.identity import User
from projections.engine.tracking import log_head, status
from projections.registry import ALL
from tests.conftest import settings_for
from workers.startup import prepare


def test_starting_together_on_a_new_database_creates_every_table_once(make_database, tmp_path):
    url = make_database()
    together = Barrier(4)

    def start(i: int) -> Infrastructure:
        together.wait()
        infra = open_infrastructure(settings_for(tmp_path / str(i)), url)
        prepare(infra)
        return infra

    with ThreadPoolExecutor(4) as pool:
        started = list(pool.map(start, range(4)))
    try:
        assert {s.name for s in status(started[0].pool, ALL)} == {p.name for p in ALL}
        with caused_by(Cause(None, uuid4())):
            started[1].store.save(User.register(uuid4(), "first@example.com", "First", "not-a-real-hash"))
        assert log_head(started[0].pool) == 1
    finally:
        for infra in started:
            infra.close()
