"""Media upload and download throughput, and the server's peak memory while doing it.

    .venv/bin/python -m bench.media [--size-mb 200] [--ranges 200] [--range-kb 1024]

Runs `skillhub serve` (uvicorn, the API and the workers) in a subprocess on a free 127.0.0.1
port against a fresh database, then over HTTP: uploads one file of --size-mb (streamed from
disk), uploads it again (same bytes: deduplicated), downloads it whole, and makes --ranges
single-range requests at random offsets (what a video player does when seeking). Reports MiB/s
and the server process's peak resident memory (VmHWM, reset before each step through
/proc/PID/clear_refs) next to its memory before the step: streaming keeps it flat, whatever
the file size.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import struct
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil

from adapters.infrastructure import open_infrastructure
from bench.common import (
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
)
from bench.http_server import serve
from domain.identity import Role
from workers.demo.loader import create_person

CHUNK = 1024 * 1024
PASSWORD = "bench media password"


def make_video(path: Path, size: int) -> str:
    """An MP4 header (so the type sniffs as video/mp4) and random bytes; returns its sha256."""
    digest = hashlib.sha256()
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
    with open(path, "wb") as f:
        head = ftyp + struct.pack(">I", size - len(ftyp)) + b"mdat"
        f.write(head)
        digest.update(head)
        remaining = size - len(head)
        while remaining:
            block = os.urandom(min(CHUNK, remaining))
            f.write(block)
            digest.update(block)
            remaining -= len(block)
    return digest.hexdigest()


def stream_file(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            yield block


class ServerMemory:
    """The server's resident memory: now, and the peak since the last reset."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def _status(self, field: str) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise LookupError(field)

    def rss(self) -> int:
        return self._status("VmRSS")

    def peak(self) -> int:
        return self._status("VmHWM")

    def reset_peak(self) -> None:
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")  # Linux: reset VmHWM to the current RSS


def server_pid() -> int:
    children = [p for p in psutil.Process().children(recursive=True) if "workers.cli" in " ".join(p.cmdline())]
    if len(children) != 1:
        raise RuntimeError(f"expected one server process, found {len(children)}")
    return children[0].pid


def measured(name: str, memory: ServerMemory, size: int, step: Callable[[], object]) -> tuple[object, float]:
    memory.reset_peak()
    before = memory.rss()
    t0 = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - t0
    mib = size / 2**20
    print(f"{name:<46} {mib:7.1f} MiB in {seconds:6.2f} s  {mib / seconds:7.1f} MiB/s"
          f"   server RSS before {before / 2**20:6.1f} MiB, peak {memory.peak() / 2**20:6.1f} MiB", flush=True)
    return result, seconds


def run(base_url: str, database_url: str, data_dir: Path, args: argparse.Namespace) -> None:
    infra = open_infrastructure(bench_settings(data_dir), database_url)
    try:
        create_person(infra, "bench-teacher@bench.example.com", PASSWORD, "Bench Teacher", [Role.TEACHER])
    finally:
        infra.close()
    size = args.size_mb * 1024 * 1024
    video = data_dir / "video.mp4"
    sha = make_video(video, size)
    memory = ServerMemory(server_pid())
    with httpx.Client(base_url=base_url, timeout=300) as http:
        token = http.post("/api/v1/sessions", json={"email": "bench-teacher@bench.example.com",
                                                    "password": PASSWORD}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        upload_headers = {**auth, "Content-Type": "application/octet-stream", "Content-Length": str(size)}

        def upload(expect: int) -> dict[str, object]:
            r = http.post("/api/v1/media", params={"filename": "video.mp4"}, headers=upload_headers,
                          content=stream_file(video))
            assert r.status_code == expect, r.text
            return r.json()

        first, _ = measured("upload (new)", memory, size, lambda: upload(201))
        assert first["sha256"] == sha
        measured("upload again (same bytes: deduplicated)", memory, size, lambda: upload(200))
        url = f"/api/v1/media/{first['media_id']}/content"

        def download_whole() -> None:
            digest = hashlib.sha256()
            with http.stream("GET", url, headers=auth) as r:
                assert r.status_code == 200
                for block in r.iter_bytes(CHUNK):
                    digest.update(block)
            assert digest.hexdigest() == sha

        measured("download whole (200)", memory, size, download_whole)
        span = args.range_kb * 1024
        rng = random.Random(7)

        def download_ranges() -> None:
            for _ in range(args.ranges):
                start = rng.randrange(0, size - span)
                r = http.get(url, headers={**auth, "Range": f"bytes={start}-{start + span - 1}"})
                assert r.status_code == 206 and len(r.content) == span

        _, seconds = measured(f"{args.ranges} random Range requests of {args.range_kb} KiB (206)", memory,
                              args.ranges * span, download_ranges)
        print(f"{'':<46} {seconds / args.ranges * 1000:.1f} ms per Range request", flush=True)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size-mb", type=int, default=200)
    p.add_argument("--ranges", type=int, default=200)
    p.add_argument("--range-kb", type=int, default=1024)
    p.add_argument("--pool-size", type=int, default=10)
    args = p.parse_args(argv)
    tmp, server, database = bench_server('skillhub-bench-media-')
    print(f"# media benchmark\n{describe_machine()}\ndatabase: {database};"
          f" blobs in a local folder ({tmp})\n", flush=True)
    with fresh_database(server) as url, serve(url, tmp / "server", args.pool_size) as base_url:
        run(base_url, url, tmp / "server", args)


if __name__ == "__main__":
    main()
