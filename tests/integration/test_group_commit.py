"""Group commit: commands that arrive together share one transaction; one whose aggregate changed
underneath it fails alone; every caller gets positions that are committed and in commit order."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest

from adapters.events.event_store import ConcurrentChange
from adapters.events.group_commit import CollidedWithStored, _Append
from domain.event_conventions import Cause, caused_by
from domain.identity import User
from projections.engine.tracking import log_head


def _register(name: str) -> User:
    return User.register(uuid4(), f"{name}-{uuid4().hex[:8]}@group.example.com", name, "not-a-real-hash")


def _events_of(infra, aggregate_id) -> list[int]:
    with infra.pool.connection() as conn:
        return [r["originator_version"] for r in conn.execute(
            "SELECT originator_version FROM skillhub_events WHERE originator_id = %s ORDER BY 1", (aggregate_id,))]


def test_concurrent_commands_share_transactions_and_all_commit(fresh_infra):
    infra = fresh_infra
    before = infra.store.group_commit.groups_written
    together = threading.Barrier(32)

    def command(i: int) -> tuple[User, int]:
        with caused_by(Cause(None, uuid4())):
            user = _register(f"p{i}")
            user.update_profile(f"Person {i}", "bio")
            together.wait()
            return user, infra.store.record(user)

    with ThreadPoolExecutor(32) as pool:
        done = list(pool.map(command, range(32)))
    positions = [p for _, p in done]
    assert len(set(positions)) == 32 and max(positions) == log_head(infra.pool) == 64
    for user, position in done:
        assert _events_of(infra, user.id) == [1, 2]  # both events of each command, nothing lost
    groups = infra.store.group_commit.groups_written - before
    assert groups < 32, f"{groups} transactions for 32 commands arriving together"


def test_a_collision_fails_only_its_own_command_within_a_group(fresh_infra):
    infra = fresh_infra
    group_commit = infra.store.group_commit
    with caused_by(Cause(None, uuid4())):
        stored = _register("stored")
        infra.store.record(stored)
        stale = infra.store.load(stored.id)
        stored.update_profile("First", "")
        infra.store.record(stored)  # version 2 is taken now
        stale.update_profile("Stale", "")  # also version 2: collides with the log
        rival_a, rival_b = _register("rival"), None
        rival_b = User.register(rival_a.id, "other@group.example.com", "Rival B", "x")  # same id, version 1
        bystander = _register("bystander")
        with_stale = _register("with-stale")  # saved in the same command as the stale one
    mapped = [[infra.store.mapper.to_stored_event(e) for e in events] for events in (
        stale.collect_events() + with_stale.collect_events(), rival_a.collect_events(),
        rival_b.collect_events(), bystander.collect_events())]
    group = [_Append(events) for events in mapped]
    group_commit._write(group)

    assert isinstance(group[0].error, CollidedWithStored) and not group[0].positions
    assert group[1].error is None and group[1].positions  # the first of two rivals wins
    assert isinstance(group[2].error, CollidedWithStored)
    assert group[3].error is None and group[3].positions
    assert _events_of(infra, with_stale.id) == []  # the failed command left nothing behind
    assert _events_of(infra, stored.id) == [1, 2] and _events_of(infra, bystander.id) == [1]
    assert group[1].positions[0] < group[3].positions[0]  # positions in the group's order


def test_a_stale_command_is_a_concurrent_change_and_records_nothing(fresh_infra):
    infra = fresh_infra
    with caused_by(Cause(None, uuid4())):
        user = _register("once")
        infra.store.record(user)
        first, second = infra.store.load(user.id), infra.store.load(user.id)
        first.update_profile("First", "")
        infra.store.record(first)
        second.update_profile("Second", "")
        head = log_head(infra.pool)
        with pytest.raises(ConcurrentChange):
            infra.store.record(second)
    assert log_head(infra.pool) == head and _events_of(infra, user.id) == [1, 2]
