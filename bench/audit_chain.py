"""The hash chain over the log (projections/audit/hash_chain.py): building it and `audit verify`.

    .venv/bin/python -m bench.audit_chain [--events 1000000]

Writes at least --events identity events in bulk to a fresh database (embedded server, or
BENCH_DATABASE_URL / DATABASE_URL), then times the chain keeper checkpointing the whole log from
nothing, and a full verification, with the machine's load before and after.
"""

from __future__ import annotations

import argparse
import time

from adapters.infrastructure import open_infrastructure
from bench.common import bench_server, bench_settings, describe_machine, fresh_database
from bench.identity_events import load_history
from bench.machine_load import load_line
from projections.audit.chain_verification import verify
from workers.audit.chain_keeper import ChainKeeper
from workers.startup import prepare


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=1_000_000, help="at least this many events are written")
    args = p.parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# audit chain benchmark\n{describe_machine()}\ndatabase: {database}", flush=True)
    with fresh_database(server) as url:
        settings = bench_settings(tmp / "data", db_pool_size=6)
        infra = open_infrastructure(settings, url)
        try:
            prepare(infra)
            loaded = load_history(infra.store, settings.resolved_secret_key(), args.events)
            print(f"wrote {loaded.events:,} events\n{load_line('start')}", flush=True)
            t0 = time.perf_counter()
            checkpoints = ChainKeeper(infra).round()
            built = time.perf_counter() - t0
            print(f"chain built: {checkpoints:,} checkpoints over {loaded.events:,} events in {built:.1f} s"
                  f" ({loaded.events / built:,.0f} events/s)", flush=True)
            t0 = time.perf_counter()
            verdict = verify(infra.pool)
            checked = time.perf_counter() - t0
            print(f"audit verify: {verdict.events_checked:,} events in {checked:.1f} s"
                  f" ({verdict.events_checked / checked:,.0f} events/s); intact: {verdict.intact}", flush=True)
        finally:
            infra.close()
    print(load_line("end"))


if __name__ == "__main__":
    main()
