"""`skillhub` under cProfile in every thread (the request threadpool, the hub, the projection
runners), for `bench.live_session --profile FILE`: at exit the threads' profiles are merged
into FILE (pstats) and the project's top functions by own and by cumulative time go to FILE.txt
(wall-clock: a thread waiting on a lock or a socket counts too).
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
_original_bootstrap = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]
OWN_CODE = r"/(commands|adapters|api|projections|domain|workers)/"  # what the printout keeps


def _profiled_bootstrap(thread: threading.Thread) -> None:
    """Every thread, including those whose class overrides run() (the request threadpool's)."""
    profile = cProfile.Profile()
    _profiles.append(profile)
    profile.enable()
    try:
        _original_bootstrap(thread)
    finally:
        profile.disable()


def _dump(path: str) -> None:
    stats = pstats.Stats(*_profiles) if _profiles else None
    if stats is None:
        return
    stats.dump_stats(path)
    with open(path + ".txt", "w") as out:
        stats.stream = out
        # Wall-clock times: idle threads wait in locks, so the project's own functions are printed.
        stats.sort_stats("tottime").print_stats(OWN_CODE, 40)
        stats.sort_stats("cumulative").print_stats(OWN_CODE, 80)


if __name__ == "__main__":
    target, sys.argv = sys.argv[1], ["skillhub", *sys.argv[2:]]
    threading.Thread._bootstrap_inner = _profiled_bootstrap  # type: ignore[attr-defined]
    main_profile = cProfile.Profile()
    _profiles.append(main_profile)
    atexit.register(_dump, target)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main_profile.enable()
    runpy.run_module("workers.cli", run_name="__main__")
