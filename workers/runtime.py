"""Process set-up shared by every entry point: infrastructure, tables, background workers.

A worker is a function that starts its threads on the given Workers; every worker is
registered in WORKERS, which `skillhub serve` starts together and `skillhub worker NAME` alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from adapters.infrastructure import Infrastructure, open_infrastructure
from adapters.postgres import schema_lock
from adapters.settings import Settings, get_settings
from api.platform import idempotency
from commands.forum import reading as forum_reading
from commands.identity import throttle
from projections.audit import hash_chain
from projections.engine import runner_errors
from projections.engine.engine import Projection, ensure_schema
from projections.engine.runner import ProjectionRunner
from projections.identity.identity import finish_erasures
from projections.learner.tables import create_tables as create_learner_tables
from projections.notification import store as notification_store
from projections.notification.decisions import notification
from projections.recommendations import served as served_recommendations
from projections.registry import ALL
from projections.streaming import kafka_offsets, relay_position, xapi_position
from workers.audit import chain_keeper
from workers.certification import certificates
from workers.classroom import class_courses
from workers.learner import worker as learner
from workers.live import sessions as live_sessions
from workers.notification import announcements, notifier, quiz_deadlines
from workers.streaming import relay
from workers.streaming.kafka_feed import KafkaFedRunner
from workers.supervision import Workers

log = logging.getLogger(__name__)


def prepare(infra: Infrastructure) -> None:
    """Create the operational tables and every projection's schema (idempotent)."""
    with schema_lock(infra.database_url):
        throttle.create_tables(infra.pool)
        forum_reading.create_tables(infra.pool)
        idempotency.create_tables(infra.pool)
        notification_store.create_tables(infra.pool)
        relay_position.create_tables(infra.pool)
        runner_errors.create_tables(infra.pool)
        kafka_offsets.create_tables(infra.pool)
        create_learner_tables(infra.pool)
        hash_chain.create_tables(infra.pool)
        served_recommendations.create_tables(infra.pool)
        xapi_position.create_tables(infra.pool)
        for projection in ALL:
            ensure_schema(infra.pool, projection)
    if repaired := finish_erasures(infra.pool):
        log.warning("destroyed the surviving keys of %d erased people", repaired)


@contextmanager
def infrastructure(settings: Settings | None = None) -> Iterator[Infrastructure]:
    infra = open_infrastructure(settings or get_settings())
    try:
        prepare(infra)
        yield infra
    finally:
        infra.close()


def start_projection_runners(
    infra: Infrastructure, projections: list[Projection] | None = None, workers: Workers | None = None
) -> Workers:
    workers = workers or Workers()
    for projection in projections or ALL:
        runner: ProjectionRunner
        if projection is notification and infra.settings.notify_source == "kafka":
            runner = KafkaFedRunner(projection, infra)
        else:
            runner = ProjectionRunner(
                projection, infra.database_url, infra.pool, infra.store, infra.settings.projection_batch_size,
                workers.log_reader(infra),
            )
        workers.runners.append(runner)
        workers.spawn(f"projection-{projection.name}", runner.run)
    return workers


WorkerStarter = Callable[[Infrastructure, Workers], None]


def _projections(infra: Infrastructure, workers: Workers) -> None:
    start_projection_runners(infra, workers=workers)


def _xapi(infra: Infrastructure, workers: Workers) -> None:
    # Imported here: the forwarder is off by default, and its HTTP client would cost every
    # process's start (API, CLI, workers) about 0.2 s of imports.
    from workers.streaming import xapi_forwarder

    xapi_forwarder.start(infra, workers)


WORKERS: dict[str, WorkerStarter] = {
    "projections": _projections,
    "relay": relay.start,
    "notifier": notifier.start_notifier,
    "quiz-deadlines": quiz_deadlines.start,
    "announcements": announcements.start,
    "certificates": certificates.start,
    "class-courses": class_courses.start,
    "learner": learner.start,
    "audit-chain": chain_keeper.start,
    "xapi": _xapi,
    "live-sessions": live_sessions.start,
}


def start_workers(infra: Infrastructure, names: list[str]) -> Workers:
    workers = Workers()
    for name in names:
        WORKERS[name](infra, workers)
    return workers
