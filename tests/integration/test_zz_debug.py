import logging
from tests.integration.test_relay_outages import *
from tests.integration import test_relay_outages as m

def test_debug(fresh_infra, kafka_broker):
    logging.getLogger("workers.relay").setLevel(logging.INFO)
    infra = with_kafka(fresh_infra, kafka_broker, kafka_topic_partitions=2, kafka_relay_batch_size=50)
    relay, workers = start_relay(infra)
    writer = Writer(infra)
    try:
        writer.start()
        wait_for_relay(infra, 60)
        kafka_broker.kill()
        logging.warning("KILLED at %s", relay_state(infra.pool)[0])
        time.sleep(1.3)
        kafka_broker.start()
        logging.warning("STARTED")
        writer.join(30)
        head = log_head(infra.pool)
        wait_for_relay(infra, head, timeout=40)
        after = read_topics(kafka_broker.bootstrap, [IDENTITY], expected=head)
    finally:
        workers.shutdown()
    for part in (0, 1):
        msgs = sorted((x for x in after if x["partition"] == part), key=lambda x: x["offset"])
        logging.warning("partition %s %s", part, [(x["event"]["position"], x["event"]["aggregateversion"]) for x in msgs[:14]])
    assert 0
