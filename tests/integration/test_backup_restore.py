"""Backup and restore: the log, the personal keys, the outbox and the hash chain, and the media
blobs, restored into an empty database, give every read model the same content as before;
a damaged backup or a database in use is refused and nothing changes."""

from __future__ import annotations

import json

import pytest
from psycopg import sql

from adapters.infrastructure import open_infrastructure
from commands.classroom.media import Receiver, record_upload
from commands.identity.privacy import ErasePerson, erase_person
from commands.pipeline import SYSTEM, Actor, deps_for, execute
from domain.errors import Conflict, InvalidInput
from projections.audit.chain_verification import verify
from projections.engine.rebuild import rebuild
from projections.registry import ALL
from tests import media_samples
from tests.conftest import settings_for
from tests.integration.conftest import seed_people
from workers.audit.chain_keeper import ChainKeeper
from workers.operations.backup import backup
from workers.operations.restore import restore
from workers.startup import prepare


def read_models(infra) -> dict[str, str]:
    """Every read model table's rows, as a digest per table (tracking rows aside: they hold times)."""
    found = {}
    with infra.pool.connection() as conn:
        tables = conn.execute("SELECT table_schema, table_name FROM information_schema.tables"
                              " WHERE table_schema LIKE 'view\\_%%' AND table_name <> 'tracking'"
                              " ORDER BY 1, 2").fetchall()
        for t in tables:
            q = sql.SQL("SELECT count(*) AS n, md5(string_agg(r::text, '|' ORDER BY r::text)) AS h FROM {} r").format(
                sql.Identifier(t["table_schema"], t["table_name"]))
            row = conn.execute(q).fetchone()
            found[f"{t['table_schema']}.{t['table_name']}"] = f"{row['n']} {row['h']}"
    return found


def test_a_restore_into_an_empty_database_gives_the_same_read_models(fresh_infra, make_database, tmp_path):
    source = fresh_infra
    deps = deps_for(source)
    alice, bob, _ = seed_people(source, 3)  # every one a teacher
    receiver = Receiver(deps, None)
    receiver.accept(media_samples.png())
    upload = execute(record_upload, receiver.finish("diagram.png"), Actor(bob.id, frozenset({"teacher"})), deps)
    execute(erase_person, ErasePerson(user_id=alice.id), SYSTEM, deps)
    ChainKeeper(source).round()
    for projection in ALL:
        rebuild(source.pool, source.store, projection, 100)
    before = read_models(source)
    assert any(int(v.split()[0]) for v in before.values())

    manifest = backup(source, tmp_path / "backup")
    assert manifest["tables"]["public.skillhub_events"] > 0 and manifest["tables"]["public.personal_data_keys"] == 3

    target = open_infrastructure(settings_for(tmp_path / "restored"), make_database())
    try:
        prepare(target)
        restore(target, tmp_path / "backup")
        assert read_models(target) == before
        assert verify(target.pool).intact  # the same rows, so the same chain
        sha = upload.data["sha256"]
        restored_blob = tmp_path / "restored" / "media" / sha[:2] / sha[2:4] / sha
        assert restored_blob.read_bytes() == media_samples.png()
        assert deps_for(target).store.load(bob.id).email == bob.email  # keys restored: personal data readable
        with pytest.raises(Conflict):  # no second restore over a database in use
            restore(target, tmp_path / "backup")
    finally:
        target.close()


def test_a_damaged_backup_is_refused_and_nothing_is_written(fresh_infra, make_database, tmp_path):
    seed_people(fresh_infra, 1)
    manifest = backup(fresh_infra, tmp_path / "backup")
    events_file = tmp_path / "backup" / "public.skillhub_events.copy"
    events_file.write_bytes(events_file.read_bytes()[:-3] + b"xyz")
    target = open_infrastructure(settings_for(tmp_path / "restored"), make_database())
    try:
        prepare(target)
        with pytest.raises(InvalidInput, match="damaged"):
            restore(target, tmp_path / "backup")
        (tmp_path / "backup" / "manifest.json").write_text(json.dumps({**manifest, "format": 99}))
        with pytest.raises(InvalidInput, match="format"):
            restore(target, tmp_path / "backup")
        with target.pool.connection() as conn:
            assert conn.execute("SELECT count(*) AS n FROM skillhub_events").fetchone()["n"] == 0
    finally:
        target.close()
