"""The process's log reader keeps in memory only what its active followers have not taken yet:
a worker following a busy log does not grow by every event it has seen (the soak's worker did,
~3 KB per event, up to the 50,000-event ceiling)."""

from __future__ import annotations

import threading
import time

from domain.event_conventions import topics_of
from domain.identity import User
from projections.engine.log_reader import LogReader, keep_reading
from projections.engine.tracking import log_head
from tests.integration.conftest import seed_people

REGISTERED = topics_of(User.Registered)


def read_up_to_head(reader: LogReader, infra) -> int:
    head = log_head(infra.pool)
    deadline = time.monotonic() + 30
    while reader.read_to < head and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reader.read_to >= head
    return head


def test_memory_holds_only_what_a_follower_has_not_taken(fresh_infra):
    infra, stop = fresh_infra, threading.Event()
    reader = LogReader(infra.database_url, infra.pool, infra.store)
    reader.idle_timeout = 0.2
    thread = threading.Thread(target=keep_reading, args=(reader, stop), daemon=True)
    thread.start()
    try:
        assert reader.started.wait(30)
        fast = reader.subscribe("fast", REGISTERED)
        slow = reader.subscribe("slow", REGISTERED)
        start = reader.read_to
        assert reader.take(fast, start, 1000) == ([], start) and reader.take(slow, start, 10) == ([], start)

        seed_people(infra, 40)  # 40 registrations among 160 events
        read_up_to_head(reader, infra)
        events, fast_end = reader.take(fast, start, 1000)
        assert len(events) == 40
        slow_events, slow_end = reader.take(slow, start, 10)
        assert len(slow_events) == 10

        seed_people(infra, 40)
        read_up_to_head(reader, infra)
        # The slow follower still needs what it has not taken: nothing it may ask for is forgotten.
        assert reader.start <= start
        rest, end = reader.take(slow, slow_end, 1000, with_positions=True)
        assert len(rest) == 70

        reader.take(fast, end, 1000), reader.take(slow, end, 1000)  # both have taken all 80
        seed_people(infra, 1)
        read_up_to_head(reader, infra)
        assert reader.start >= rest[-1][0]  # the 80 are gone: memory does not grow with the log
        assert reader.take(slow, fast_end, 1000) is None  # an older position reads the log itself
        assert len(reader.take(fast, end, 1000)[0]) == 1

        # A follower that subscribed and has not taken yet (the session cache starting from the
        # reader's position) finds everything after where it starts, however far the others went.
        late = reader.subscribe("late", REGISTERED)
        late_from = reader.read_to
        seed_people(infra, 5)
        read_up_to_head(reader, infra)
        reader.take(fast, late_from, 1000), reader.take(slow, late_from, 1000)
        fast_end = reader.take(fast, late_from, 1000)[1]
        reader.take(fast, fast_end, 1000), reader.take(slow, fast_end, 1000)
        seed_people(infra, 1)
        read_up_to_head(reader, infra)
        caught = reader.take(late, late_from, 1000)
        assert caught is not None and len(caught[0]) == 6
    finally:
        stop.set()
        thread.join(10)
