"""Loading an aggregate for a command: recent ones come from memory plus the events recorded
since (checked by version, so another process's writes are seen), never from a stale copy."""

from __future__ import annotations

from uuid import uuid4

from adapters.infrastructure import open_infrastructure
from commands.pipeline import SYSTEM, deps_for, execute
from domain.event_conventions import Cause, caused_by
from domain.identity import User
from tests.conftest import settings_for


def _update(name: str):
    def handler(user_id, actor, deps):
        user = deps.store.load(user_id)
        user.update_profile(name, "")
        return deps.store.record(user)
    return handler


def _replays(store) -> list[int]:
    """How many stored events each load decoded (the store's own mapper, counted)."""
    counts: list[int] = []
    original = store.unseal_many

    def counting(events, readable_by=None):
        counts.append(len(events))
        return original(events, readable_by)

    store.unseal_many = counting
    return counts


def test_a_command_loads_a_recent_aggregate_without_replaying_its_history(fresh_infra):
    deps = deps_for(fresh_infra)
    with caused_by(Cause(None, uuid4())):
        user = User.register(uuid4(), f"c-{uuid4().hex[:6]}@cache.example.com", "Cached", "x")
        deps.store.record(user)
    for i in range(5):
        execute(_update(f"Name {i}"), user.id, SYSTEM, deps)  # the first replays, then it is cached
    decoded = _replays(deps.store)
    execute(_update("Last"), user.id, SYSTEM, deps)
    assert decoded == [0]  # one version check, nothing to replay
    assert deps.store.load(user.id).display_name == "Last"


def test_another_processs_write_is_seen_and_a_failed_command_leaves_no_trace(fresh_infra, tmp_path):
    deps = deps_for(fresh_infra)
    other = open_infrastructure(settings_for(tmp_path / "other"), fresh_infra.database_url)  # another process
    try:
        with caused_by(Cause(None, uuid4())):
            user = User.register(uuid4(), f"o-{uuid4().hex[:6]}@cache.example.com", "Mine", "x")
            deps.store.record(user)
        execute(_update("Cached here"), user.id, SYSTEM, deps)
        with caused_by(Cause(None, uuid4())):
            theirs = other.store.load(user.id)
            theirs.update_profile("Changed there", "")
            other.store.record(theirs)
        decoded = _replays(deps.store)
        execute(_update("Then here"), user.id, SYSTEM, deps)
        assert decoded == [1]  # only the other process's event was read

        def half_done(user_id, actor, d):
            loaded = d.store.load(user_id)
            loaded.update_profile("Never saved", "")
            raise RuntimeError("the command fails after changing the aggregate in memory")

        try:
            execute(half_done, user.id, SYSTEM, deps)
        except RuntimeError:
            pass

        def read(user_id, actor, d):
            return d.store.load(user_id).display_name
        assert execute(read, user.id, SYSTEM, deps) == "Then here"
    finally:
        other.close()


def test_the_loser_of_a_race_is_not_cached(fresh_infra):
    import threading

    from domain.errors import Conflict

    deps = deps_for(fresh_infra)
    with caused_by(Cause(None, uuid4())):
        user = User.register(uuid4(), f"r-{uuid4().hex[:6]}@cache.example.com", "Raced", "x")
        deps.store.record(user)
    execute(_update("Before"), user.id, SYSTEM, deps)  # cached now
    both_loaded = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def racer(name: str) -> None:
        def handler(user_id, actor, d):
            loaded = d.store.load(user_id)
            both_loaded.wait()
            loaded.update_profile(name, "")
            return d.store.record(loaded)
        try:
            execute(handler, user.id, SYSTEM, deps)
            outcomes[name] = "saved"
        except Conflict:
            outcomes[name] = "conflict"

    threads = [threading.Thread(target=racer, args=(n,)) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(n for n, o in outcomes.items() if o == "saved")

    def read(user_id, actor, d):
        return d.store.load(user_id).display_name

    for _ in range(3):  # whichever copy the cache holds, it is the winner's
        assert execute(read, user.id, SYSTEM, deps) == winner


def test_readers_share_one_copy_that_a_writer_never_changes_under_them(fresh_infra, tmp_path):
    """Many students answering read the same quiz and class: they share the cached object (no replay
    while a teacher's command holds it); a writer works on its own copy; another process's write
    gives readers a new object and leaves the one they hold as it was."""
    deps = deps_for(fresh_infra)
    other = open_infrastructure(settings_for(tmp_path / "other"), fresh_infra.database_url)
    try:
        with caused_by(Cause(None, uuid4())):
            user = User.register(uuid4(), f"s-{uuid4().hex[:6]}@cache.example.com", "Shared", "x")
            deps.store.record(user)
        first = deps.store.read(user.id)
        decoded = _replays(deps.store)
        assert deps.store.read(user.id) is first and decoded == []  # one version check, nothing replayed

        def rename_while_read(user_id, actor, d):
            mine = d.store.load(user_id)
            assert mine is not first  # the writer's own copy
            mine.update_profile("Renamed", "")
            assert deps.store.read(user_id) is first and first.display_name == "Shared"  # readers see no half-write
            return d.store.record(mine)

        execute(rename_while_read, user.id, SYSTEM, deps)
        assert first.display_name == "Shared"  # what a reader held stays as it was
        renamed = deps.store.read(user.id)
        assert renamed.display_name == "Renamed" and renamed.version == first.version + 1

        with caused_by(Cause(None, uuid4())):
            theirs = other.store.load(user.id)
            theirs.update_profile("Changed there", "")
            other.store.record(theirs)
        seen = deps.store.read(user.id)
        assert seen.display_name == "Changed there" and renamed.display_name == "Renamed"
        assert deps.store.read(user.id) is seen  # cached for the next reader
    finally:
        other.close()
