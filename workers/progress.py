"""Progress of long command-line work (rebuilds, exports, data loads): a bar with the rate and
the time left on a terminal, nothing at all when the output is piped or redirected."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm

Progress = Callable[[int, int], None]  # (done, total): the total may grow as the log does


@contextmanager
def progress_bar(description: str, unit: str) -> Iterator[Progress]:
    bar = tqdm(desc=description, unit=unit, unit_scale=True, dynamic_ncols=True, file=sys.stderr,
               disable=not sys.stderr.isatty())

    def update(done: int, total: int) -> None:
        bar.total = max(total, done)
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()
