from adapters.cloudevents import topic_for
from domain.contexts import contexts_with_events
from projections.tracking import log_head
from tests.api.test_event_streaming import _scenario
from tests.streaming import read_topics, start_relay, wait_for_relay, with_kafka


def test_dbg(infra, client, make_person, kafka_broker):
    _scenario(client, make_person)
    infra = with_kafka(infra, kafka_broker)
    relay, workers = start_relay(infra)
    try:
        head = log_head(infra.pool)
        wait_for_relay(infra, head, timeout=60)
    finally:
        workers.shutdown()
    topics = [topic_for(c) for c in contexts_with_events()]
    messages = read_topics(kafka_broker.bootstrap, topics, expected=head, timeout=60)
    got = {m["event"]["position"] for m in messages}
    missing = sorted(set(range(1, head + 1)) - got)
    with infra.pool.connection() as conn:
        rows = conn.execute("SELECT notification_id, topic FROM skillhub_events WHERE notification_id = ANY(%s)",
                            (missing[:40],)).fetchall()
    print("\nMISSING", len(missing), "of", head, [(r["notification_id"], r["topic"]) for r in rows])
    assert not missing
