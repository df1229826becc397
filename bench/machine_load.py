"""What the machine was doing while a benchmark ran: load averages and CPU seconds (the whole
machine, this process, the `skillhub serve` subprocess), printed as lines bench/compare_trees.py
can read back, and single values in the same shape."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import psutil

VALUE_WIDTH = 50  # same column as bench.common.Measurement.line, so the output reads alike


def load_line(when: str) -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average at {when}: {one:.2f} {five:.2f} {fifteen:.2f}"


def value_line(name: str, value: float, unit: str) -> str:
    """One number that is not a rate, e.g. a CPU share: `name = value unit`."""
    return f"{name:<{VALUE_WIDTH}} = {value:,.2f} {unit}"


def server_process(command: str = "serve") -> psutil.Process | None:
    """The `skillhub serve` (or `worker`) subprocess started by bench.http_server.serve (a child of this one)."""
    for child in psutil.Process().children(recursive=True):
        try:
            if command in child.cmdline():
                return child
        except psutil.Error:
            continue
    return None


def _cpu_seconds(process: psutil.Process | None) -> float:
    if process is None:
        return 0.0
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def _machine_busy_seconds() -> float:
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0) + getattr(t, "steal", 0.0)


@dataclass
class CpuMeter:
    """CPU seconds spent between start() and lines(): by the machine, by this process (the load
    generator), and by the server subprocess if there is one."""

    server: psutil.Process | None = None
    followers: psutil.Process | None = None  # `skillhub worker all` in the split layout
    _t0: float = 0.0
    _marks: dict[str, float] = field(default_factory=dict)

    def start(self) -> CpuMeter:
        self._t0 = time.perf_counter()
        self._marks = {"machine": _machine_busy_seconds(), "client": time.process_time(),
                       "server": _cpu_seconds(self.server), "followers": _cpu_seconds(self.followers)}
        return self

    def lines(self, label: str, own: str = "load generator") -> list[str]:
        """`own` names what this process was: the load generator, or the system under test."""
        wall = time.perf_counter() - self._t0
        used = {"machine": _machine_busy_seconds() - self._marks["machine"],
                "client": time.process_time() - self._marks["client"],
                "server": _cpu_seconds(self.server) - self._marks["server"],
                "followers": _cpu_seconds(self.followers) - self._marks["followers"]}
        out = [value_line(f"{label}: machine CPU busy", 100 * used["machine"] / wall / (os.cpu_count() or 1),
                          f"% of {os.cpu_count()} cores over {wall:.1f} s"),
               value_line(f"{label}: {own} CPU", 100 * used["client"] / wall, "% of one core")]
        if self.server is not None:
            out.append(value_line(f"{label}: server process CPU", 100 * used["server"] / wall, "% of one core"))
        if self.followers is not None:
            out.append(value_line(f"{label}: worker process CPU", 100 * used["followers"] / wall, "% of one core"))
        return out
