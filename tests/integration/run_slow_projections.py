"""Subprocess for the crash test: runs the identity and counting projections, slowed down."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from adapters.infrastructure import open_infrastructure
from projections.engine.runner import ProjectionRunner
from projections.identity.identity import identity
from tests.conftest import settings_for
from tests.integration.counting import counting, slowed


def main(database_url: str, data_dir: str) -> None:
    infra = open_infrastructure(settings_for(Path(data_dir), projection_batch_size=100), database_url)
    stop = threading.Event()
    threads = []
    for projection in (identity, counting):
        slowed(projection, 0.002)
        runner = ProjectionRunner(projection, database_url, infra.pool, infra.store, 100)
        threads.append(threading.Thread(target=runner.run, args=(stop,)))
    for t in threads:
        t.start()
    print("started", flush=True)
    for t in threads:
        t.join()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
