"""The `skillhub` command line."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from uuid import UUID

import orjson
from pydantic import ValidationError

from domain.errors import InvalidInput, SkillhubError
from domain.identity import Role
from workers.progress import progress_bar

log = logging.getLogger("skillhub")


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from api.app import create_app
    from workers.runtime import WORKERS, start_workers
    from workers.startup import infrastructure

    names = _worker_names(args.workers, WORKERS)
    with infrastructure() as infra:
        workers = start_workers(infra, names)
        try:
            # Forwarded headers are handled by the app itself, only from SKILLHUB_TRUSTED_PROXIES.
            uvicorn.run(create_app(infra, workers.log_reader(infra)), host=args.host, port=args.port, log_level="info", proxy_headers=False)
        finally:
            workers.shutdown()


def _worker_names(spec: str, known: dict[str, object]) -> list[str]:
    """`all`, `none` or a comma-separated list of names of WORKERS."""
    if spec == "all":
        return list(known)
    names = [] if spec == "none" else [n.strip() for n in spec.split(",") if n.strip()]
    if unknown := [n for n in names if n not in known]:
        raise SkillhubError(f"unknown worker {unknown[0]!r}; known: {', '.join(known)}, projection:NAME, all, none")
    return names


def _worker(args: argparse.Namespace) -> None:
    from projections.registry import by_name
    from workers.runtime import WORKERS, start_projection_runners, start_workers
    from workers.startup import infrastructure

    single = [by_name(name.split(":", 1)[1]) for name in args.names if name.startswith("projection:")]
    named = _worker_names(",".join(n for n in args.names if not n.startswith("projection:")) or "none", WORKERS)
    if not single and not named:
        raise SkillhubError("name at least one worker")
    with infrastructure() as infra:
        workers = start_workers(infra, named)
        if single:
            start_projection_runners(infra, single, workers)
        signal.signal(signal.SIGTERM, lambda *_: workers.stop.set())
        try:
            while not workers.stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        workers.shutdown()


def _projections(args: argparse.Namespace) -> None:
    from projections.engine.rebuild import REBUILD_BATCH_SIZE, rebuild_many
    from projections.engine.tracking import status
    from projections.registry import ALL, by_name
    from projections.streaming.relay_position import relay_status
    from workers.startup import infrastructure

    if args.action == "rebuild":
        if args.all == bool(args.names):
            raise InvalidInput("name the read models to rebuild, or give --all (not both)")
        projections = ALL if args.all else [by_name(name) for name in dict.fromkeys(args.names)]
    with infrastructure() as infra:
        if args.action == "status":
            print(f"{'projection':<20} {'position':>10} {'head':>10} {'lag':>10}  runner  last error")
            for s in status(infra.pool, ALL):
                error = f"{s.failures} failures since {s.failing_since:%Y-%m-%d %H:%M:%S%z}: {s.last_error}" if s.last_error else ""
                runner = "active" if s.active_runner else "none"
                print(f"{s.name:<20} {s.position:>10} {s.head:>10} {s.lag:>10}  {runner:<6}  {error}".rstrip())
            if infra.settings.kafka_bootstrap_servers:
                r = relay_status(infra.pool)
                print(f"{'kafka relay':<20} {r.position:>10} {r.head:>10} {r.lag:>10}  {'active' if r.active_relay else 'none'}")
            if infra.settings.xapi_lrs_url:
                from projections.streaming.xapi_position import forwarder_status
                from workers.streaming.xapi_statements import LEARNING_TOPICS

                x = forwarder_status(infra.pool, LEARNING_TOPICS)
                print(f"{'xapi forwarder':<20} {x.position:>10} {'':>10} {x.pending:>10}  "
                      f"{'active' if x.active_forwarder else 'none':<6}  {x.last_error or ''}".rstrip())
        else:
            names = ", ".join(p.name for p in projections)
            # One pass over the log for all of them; the bar counts log positions.
            with progress_bar(f"rebuild {names}", "event") as progress:
                reports = rebuild_many(infra.pool, infra.store, projections, args.batch_size or REBUILD_BATCH_SIZE,
                                       progress)
            for report in reports:
                rate = report.events_applied / report.seconds if report.seconds else 0
                print(f"rebuilt {report.name}: {report.events_applied} events to position {report.position}"
                      f" in {report.seconds:.1f} s ({rate:,.0f} events/s)")


def _events(args: argparse.Namespace) -> None:
    from projections.audit.event_history import HistoryFilter, iter_history
    from workers.startup import infrastructure

    f = HistoryFilter(args.aggregate, args.person, args.type, args.since, args.until)
    with infrastructure() as infra:
        out = sys.stdout.buffer
        for record in iter_history(infra.pool, infra.store, f, args.after):
            out.write(orjson.dumps(record, default=str, option=orjson.OPT_UTC_Z) + b"\n")
        out.flush()


def _event_schemas(args: argparse.Namespace) -> None:
    from adapters.events.event_schemas import write_schemas

    written, removed = write_schemas(args.output)
    print(f"wrote {len(written)} event schemas to {args.output}" + (f", removed {len(removed)} stale" if removed else ""))


def _event_export(args: argparse.Namespace) -> None:
    from workers.startup import infrastructure
    from workers.streaming.export import export_history
    from workers.streaming.xapi_export import export_statements

    with infrastructure() as infra, progress_bar("export", "event") as progress:
        if args.format == "xapi":
            count = export_statements(infra.pool, infra.store, infra.settings.public_url, args.output,
                                      args.since, args.until, progress)
        else:
            count = export_history(infra.pool, infra.store, args.output, args.format, args.since, args.until, progress)
    print(f"exported {count} {'xAPI statements' if args.format == 'xapi' else 'events'} to {args.output}")


def _audit(args: argparse.Namespace) -> None:
    from projections.audit.chain_verification import verify
    from workers.startup import infrastructure

    with infrastructure() as infra:
        started = time.perf_counter()
        verdict = verify(infra.pool, args.expect_hash)
        seconds = time.perf_counter() - started
    print(f"checked {verdict.events_checked:,} events in {verdict.checkpoints:,} checkpoints in {seconds:.1f} s;"
          f" chain hash {verdict.chain_hash} at position {verdict.last_position}"
          f" ({verdict.not_yet_checkpointed:,} later events not checkpointed yet)")
    if not verdict.intact:
        print(f"TAMPERED: {verdict.problem}", file=sys.stderr)
        raise SystemExit(1)
    print("intact")


def _backup(args: argparse.Namespace) -> None:
    from workers.operations.backup import backup
    from workers.startup import infrastructure

    with infrastructure() as infra:
        manifest = backup(infra, args.output)
    print(f"backed up the log to position {manifest['log_head']}: {len(manifest['tables'])} tables,"
          f" {sum(1 for f in manifest['files'] if f.startswith('media/'))} media files, into {args.output}")


def _restore(args: argparse.Namespace) -> None:
    from workers.operations.restore import restore
    from workers.startup import infrastructure

    with infrastructure() as infra:
        manifest = restore(infra, args.input, print)
    print(f"restored the log to position {manifest['log_head']} and rebuilt every read model")


def _keys(args: argparse.Namespace) -> None:
    from adapters.security.credentials import Issuer, retire_signing_key
    from adapters.security.keyring import key_id
    from workers.startup import infrastructure

    with infrastructure() as infra:
        s = infra.settings
        if args.action == "rotate":
            if args.certificates:
                if s.certificate_signing_key:
                    raise SystemExit("error: the signing key is given as SKILLHUB_CERTIFICATE_SIGNING_KEY: set a new"
                                     " one there and add the old public key to SKILLHUB_PREVIOUS_CERTIFICATE_KEYS")
                print(f"retired certificate signing key {retire_signing_key(s.data_dir)}; restart to sign with the new one")
            print(f"rewrapped {infra.keys.rewrap():,} personal keys with secret {infra.keys.current_id}")
        ring = s.secret_keyring()
        print(f"secret: current {key_id(ring[0])}; still accepted: {', '.join(key_id(k) for k in ring[1:]) or 'none'}")
        print("personal keys wrapped by: " + ", ".join(f"{k} {n:,}" for k, n in infra.keys.wrapped_by().items()))
        issuer = Issuer(s.certificate_signing_key, s.data_dir, s.public_url, s.previous_certificate_keys)
        print(f"certificate keys: {', '.join(issuer.did_document()['assertionMethod'])}")


def _admin(args: argparse.Namespace) -> None:
    from workers.demo.loader import create_person
    from workers.startup import infrastructure

    password = os.environ.get("SKILLHUB_ADMIN_PASSWORD") or getpass.getpass("password for the new admin: ")
    with infrastructure() as infra:
        user_id = create_person(infra, args.email, password, args.display_name, [Role.ADMIN])
    print(f"admin created: {user_id}")


def _demo(args: argparse.Namespace) -> None:
    from workers.demo.loader import DEMO_PASSWORD, load_demo
    from workers.startup import infrastructure

    if args.oulad is not None:
        return _demo_oulad(args)
    with infrastructure() as infra, progress_bar("demo", "step") as progress:
        created = load_demo(infra, progress)
    print(f"demo loaded ({len(created)} new people); every demo password is {DEMO_PASSWORD!r}")


def _demo_oulad(args: argparse.Namespace) -> None:
    from workers.oulad.dataset import Slice
    from workers.oulad.loader import LEARNER_PASSWORD, load_oulad
    from workers.startup import infrastructure

    part = Slice(tuple(args.presentations or ()), args.learners)
    with infrastructure() as infra, progress_bar("oulad", "row") as progress:
        r = load_oulad(infra, Path(args.oulad), part, progress)
    print(f"OULAD loaded: {r.presentations} presentations, {r.registrations} registrations, {r.results} results;"
          f" {r.events} new events in {r.seconds:.1f} s ({r.events / max(r.seconds, 1e-9):,.0f} events/s);"
          f" learners' password {LEARNER_PASSWORD!r}")


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="skillhub", description="SkillHub e-learning backend")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="API and all workers in one process")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", default="all",
                   help="workers to run beside the API: all (default), none, or names separated by commas")
    s.set_defaults(func=_serve)
    w = sub.add_parser("worker", help="run workers alone (see WORKERS in workers/runtime.py), all, or projection:NAME")
    w.add_argument("names", nargs="+", metavar="NAME")
    w.set_defaults(func=_worker)
    pr = sub.add_parser("projections", help="projection status and rebuild")
    pr_sub = pr.add_subparsers(dest="action", required=True)
    pr_sub.add_parser("status").set_defaults(func=_projections)
    rb = pr_sub.add_parser("rebuild", help="rebuild read models from the log, several in one pass")
    rb.add_argument("names", nargs="*", metavar="NAME")
    rb.add_argument("--all", action="store_true", help="every read model")
    rb.add_argument("--batch-size", type=int, help="events per batch (default: 5000)")
    rb.set_defaults(func=_projections)
    ev = sub.add_parser("events", help="the event history")
    ev_sub = ev.add_subparsers(dest="action", required=True)
    rp = ev_sub.add_parser("replay", help="print events as JSON lines")
    rp.add_argument("--aggregate", type=UUID)
    rp.add_argument("--person", type=UUID)
    rp.add_argument("--type", help="e.g. User.Registered")
    rp.add_argument("--since", type=datetime.fromisoformat)
    rp.add_argument("--until", type=datetime.fromisoformat)
    rp.add_argument("--after", type=int, default=0, help="start after this log position")
    rp.set_defaults(func=_events)
    sc = ev_sub.add_parser("schemas", help="write the JSON Schema of every event type (docs/streaming.md)")
    sc.add_argument("--output", type=Path, default=Path("docs/schemas"))
    sc.set_defaults(func=_event_schemas)
    ex = ev_sub.add_parser("export", help="the history as Parquet or JSON lines, personal data sealed;"
                           " or its learning events as xAPI statements (docs/xapi.md)")
    ex.add_argument("--format", choices=["parquet", "jsonl", "xapi"], required=True)
    ex.add_argument("--output", type=Path, required=True)
    ex.add_argument("--since", type=datetime.fromisoformat, help="ISO time, UTC unless an offset is given")
    ex.add_argument("--until", type=datetime.fromisoformat, help="ISO time (exclusive)")
    ex.set_defaults(func=_event_export)
    ad = sub.add_parser("admin", help="administration")
    ad_sub = ad.add_subparsers(dest="action", required=True)
    cr = ad_sub.add_parser("create", help="create an admin (password from SKILLHUB_ADMIN_PASSWORD or a prompt)")
    cr.add_argument("--email", required=True)
    cr.add_argument("--display-name", default="Administrator")
    cr.set_defaults(func=_admin)
    bk = sub.add_parser("backup", help="the log, personal keys, outbox, hash chain and media into a new folder")
    bk.add_argument("--output", type=Path, required=True)
    bk.set_defaults(func=_backup)
    rs = sub.add_parser("restore", help="a backup into an empty database, then every read model rebuilt")
    rs.add_argument("--input", type=Path, required=True)
    rs.set_defaults(func=_restore)
    ky = sub.add_parser("keys", help="key ids in use, and rotation (docs/operations.md, 'Rotating keys')")
    ky_sub = ky.add_subparsers(dest="action", required=True)
    ky_sub.add_parser("status").set_defaults(func=_keys)
    kr = ky_sub.add_parser("rotate", help="rewrap every personal key with the current secret")
    kr.add_argument("--certificates", action="store_true", help="also replace the certificate signing key")
    kr.set_defaults(func=_keys)
    au = sub.add_parser("audit", help="the tamper-evident history (docs/operations.md)")
    au_sub = au.add_subparsers(dest="action", required=True)
    av = au_sub.add_parser("verify", help="recompute the hash chain; name the first changed, deleted or inserted event")
    av.add_argument("--expect-hash", help="a chain hash published earlier (/readyz, the skillhub.audit.chain topic)")
    av.set_defaults(func=_audit)
    dm = sub.add_parser("demo", help="demo data")
    dm_sub = dm.add_subparsers(dest="action", required=True)
    dl = dm_sub.add_parser("load", help="the demo people, class, courses and quizzes; or, with --oulad, the OULAD history")
    dl.add_argument("--oulad", nargs="?", const="../shared/datasets/oulad", default=None, metavar="FOLDER",
                    help="import the Open University Learning Analytics Dataset (default ../shared/datasets/oulad)")
    dl.add_argument("--presentations", nargs="*", metavar="MODULE-PRESENTATION", help="only these, e.g. AAA-2013J")
    dl.add_argument("--learners", type=int, default=None, help="at most this many learners per presentation")
    dl.set_defaults(func=_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("SKILLHUB_LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # APScheduler logs every run of every job at INFO: the deadline re-syncs alone would flood the log.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    # Exit through Python on SIGTERM so clean-ups run (the embedded server stops with the last user).
    signal.signal(signal.SIGTERM, _terminate)
    try:
        args.func(args)
    except SkillhubError as e:
        print(f"error: {e.detail}", file=sys.stderr)
        for field, message in e.fields.items():
            print(f"  {field}: {message}", file=sys.stderr)
        return 2
    except ValidationError as e:
        print("error: invalid input", file=sys.stderr)
        for err in e.errors():
            print(f"  {'.'.join(str(p) for p in err['loc'])}: {err['msg']}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
