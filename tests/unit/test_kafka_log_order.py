"""The Kafka feed hands events on in log order whatever order the partitions deliver them in."""

from __future__ import annotations

import random

from kafka import TopicPartition

from workers.streaming.kafka_feed import LogOrder

# A log with gaps (a rolled-back append burns its position), as the relay envelopes it.
POSITIONS = [1, 2, 4, 5, 6, 9, 10, 11, 15]
PARTITIONS = [TopicPartition("skillhub.identity.v1", 0), TopicPartition("skillhub.classroom.v1", 0),
              TopicPartition("skillhub.classroom.v1", 1)]


def _messages() -> list[tuple[dict, TopicPartition, int]]:
    """Each event on one partition, offsets counting up per partition in log order."""
    offsets = {tp: 0 for tp in PARTITIONS}
    messages = []
    for previous, position in zip([0, *POSITIONS], POSITIONS):
        tp = PARTITIONS[position % 3]
        messages.append(({"position": position, "previousposition": previous}, tp, offsets[tp]))
        offsets[tp] += 1
    return messages


def _interleaved(seed: int) -> list[tuple[dict, TopicPartition, int]]:
    """Partitions merged at random, each partition's own order kept (as a consumer sees them)."""
    rng = random.Random(seed)
    queues = {tp: [m for m in _messages() if m[1] == tp] for tp in PARTITIONS}
    merged = []
    while any(queues.values()):
        merged.append(queues[rng.choice([tp for tp, q in queues.items() if q])].pop(0))
    return merged


def test_any_interleaving_comes_out_in_log_order():
    for seed in range(50):
        order, out = LogOrder(0), []
        for envelope, tp, offset in _interleaved(seed):
            order.add(envelope, tp, offset)
            out += [w.envelope["position"] for w in order.take(limit=100)]
        assert out == POSITIONS


def test_a_missing_event_holds_back_everything_after_it_and_offsets_resume_before_it():
    order, messages = LogOrder(0), _messages()
    lost = next(m for m in messages if m[0]["position"] == 5)
    for m in messages:
        if m is not lost:
            order.add(*m)
    assert [w.envelope["position"] for w in order.take(100)] == [1, 2, 4]
    assert order.take(100) == []  # 6 waits for 5, never skips it
    resume = order.resume_offsets()
    # The partitions holding 6 and later resume at their first waiting message, not after it.
    waiting = {m[1]: m[2] for m in reversed(messages) if m[0]["position"] > 5}
    assert all(resume[tp] == offset for tp, offset in waiting.items())
    order.add(*lost)
    assert [w.envelope["position"] for w in order.take(100)] == [5, 6, 9, 10, 11, 15]


def test_what_was_applied_is_dropped_when_read_again():
    order = LogOrder(6)  # the read model applied up to 6
    for m in _messages() + _messages():  # everything twice: a re-read from offset 0
        order.add(*m)
    assert [w.envelope["position"] for w in order.take(100)] == [9, 10, 11, 15]
    assert order.take(100) == []

