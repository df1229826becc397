"""The background workers every entry point may start (tables and infrastructure: workers/startup.py).

A worker is a function that starts its threads on the given Workers; every worker is
registered in WORKERS, which `skillhub serve` starts together and `skillhub worker NAME` alone.
"""

from __future__ import annotations

from collections.abc import Callable

from adapters.infrastructure import Infrastructure
from projections.engine.engine import Projection
from projections.engine.runner import ProjectionRunner
from projections.notification.decisions import notification
from projections.registry import ALL
from workers.audit import chain_keeper
from workers.certification import certificates
from workers.classroom import class_courses
from workers.learner import worker as learner
from workers.live import sessions as live_sessions
from workers.notification import announcements, notifier, quiz_deadlines
from workers.streaming import relay
from workers.streaming.kafka_feed import KafkaFedRunner
from workers.supervision import Workers


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
