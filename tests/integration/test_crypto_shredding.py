"""Personal data is sealed in the log per person; erasing the person's key shreds it."""

from __future__ import annotations

from uuid import uuid4

from psycopg import sql

from adapters.event_store import EVENTS_TABLE
from commands.pipeline import SYSTEM, execute
from commands.privacy import ErasePerson, erase_person
from api.app import build_deps
from domain.event_conventions import ERASED
from projections.event_history import HistoryFilter, iter_history
from projections.identity import identity
from projections.identity_queries import user_profile
from projections.rebuild import rebuild
from tests.integration.conftest import seed_people


def raw_log(infra) -> bytes:
    with infra.pool.connection() as conn:
        rows = conn.execute(sql.SQL("SELECT state FROM {}").format(sql.Identifier(EVENTS_TABLE))).fetchall()
    return b"\n".join(bytes(r["state"]) for r in rows)


def test_personal_fields_are_never_plain_text_in_the_log(fresh_infra):
    people = seed_people(fresh_infra, 3)
    log = raw_log(fresh_infra)
    for person in people:
        assert person.email.encode() not in log
        assert f"bio of".encode() not in log
    assert b"pd1:" in log


def test_erasure_then_replay_and_rebuild_forget_only_that_person(fresh_infra):
    infra = fresh_infra
    alice, bob = seed_people(infra, 2)
    deps = build_deps(infra)
    execute(erase_person, ErasePerson(user_id=alice.id), SYSTEM, deps)

    replayed = list(iter_history(infra.pool, infra.store, HistoryFilter(person_id=alice.id)))
    registered = next(e for e in replayed if e["type"] == "User.Registered")
    assert registered["data"]["email"] == ERASED and registered["data"]["display_name"] == ERASED
    updated = next(e for e in replayed if e["type"] == "User.ProfileUpdated")
    assert updated["data"]["bio"] == ERASED
    started = next(e for e in replayed if e["type"] == "Session.Started")
    assert started["data"]["address"] == ERASED
    # The history itself is intact: same events, same order, same non-personal facts.
    assert [e["type"] for e in replayed][:4] == ["User.Registered", "User.ProfileUpdated", "User.RoleGranted", "Session.Started"]
    assert next(e for e in replayed if e["type"] == "User.RoleGranted")["data"]["role"] == "teacher"

    bob_events = list(iter_history(infra.pool, infra.store, HistoryFilter(aggregate_id=bob.id)))
    assert bob_events[0]["data"]["email"] == bob.email

    rebuild(infra.pool, infra.store, identity, 100)
    erased = user_profile(infra.pool, alice.id)
    assert erased["status"] == "erased" and erased["email"] is None and erased["bio"] is None
    assert erased["display_name"] == ERASED
    with infra.pool.connection() as conn:
        session = conn.execute("SELECT address, user_agent FROM view_identity.sessions WHERE user_id = %s", (alice.id,)).fetchone()
    assert session == {"address": None, "user_agent": None}
    kept = user_profile(infra.pool, bob.id)
    assert kept["email"] == bob.email and kept["bio"] == "bio of 1"


def test_an_erased_person_gets_no_new_key(fresh_infra):
    infra = fresh_infra
    subject = uuid4()
    assert infra.keys.key_for_writing(subject) is not None
    infra.keys.erase(subject)
    assert infra.keys.key_for_reading(subject) is None
    assert infra.keys.key_for_writing(subject) is None
