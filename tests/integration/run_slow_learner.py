"""Subprocess for the learner crash test: the learner worker with small batches, each commit
slowed down, so a SIGKILL lands between commits or inside one."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from adapters.infrastructure import open_infrastructure
from tests.conftest import settings_for
from workers.learner import checkpoint
from workers.learner.worker import LearnerWorker


def main(database_url: str, data_dir: str) -> None:
    infra = open_infrastructure(settings_for(Path(data_dir)), database_url)
    save = checkpoint.save

    def slow_save(*args, **kwargs) -> None:
        time.sleep(0.05)
        save(*args, **kwargs)

    checkpoint.save = slow_save
    worker = LearnerWorker(database_url, infra.pool, infra.store, batch_size=7)
    worker.checkpoint_seconds = 0.3  # some batches commit their rows without the state
    worker.run(threading.Event())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
