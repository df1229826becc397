"""`skillhub` under cProfile in every thread (the request threadpool, the hub, the projection
runners), for `bench.live_session --profile FILE`: at exit the threads' profiles are merged
into FILE (pstats) and the top functions by own time and by cumulative time are printed.
Run as `python -m bench.profiled_serve FILE serve ...` (the arguments of `skillhub`)."""

from __future__ import annotations

import atexit
import cProfile
import pstats
import runpy
import signal
import sys
import threading

_profiles: list[cProfile.Profile] = []
_original_run = threading.Thread.run


def _profiled_run(thread: threading.Thread) -> None:
    profile = cProfile.Profile()
    _profiles.append(profile)
    profile.runcall(_original_run, thread)


def _dump(path: str) -> None:
    stats = pstats.Stats(*_profiles) if _profiles else None
    if stats is None:
        return
    stats.dump_stats(path)
    with open(path + ".txt", "w") as out:
        stats.stream = out
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    target, sys.argv = sys.argv[1], ["skillhub", *sys.argv[2:]]
    threading.Thread.run = _profiled_run  # type: ignore[method-assign]
    main_profile = cProfile.Profile()
    _profiles.append(main_profile)
    atexit.register(_dump, target)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main_profile.enable()
    runpy.run_module("workers.cli", run_name="__main__")
