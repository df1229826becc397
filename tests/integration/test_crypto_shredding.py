"""Personal data is sealed in the log per person; erasing the person's key shreds it."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from psycopg import sql

from adapters.events.event_store import EVENTS_TABLE
from commands.identity.privacy import ErasePerson, erase_person
from commands.pipeline import SYSTEM, deps_for, execute
from domain.event_conventions import ERASED, Cause, caused_by
from projections.audit.event_history import HistoryFilter, iter_history
from projections.engine.rebuild import rebuild
from projections.identity.identity import identity
from projections.identity.queries import user_profile
from tests.integration.conftest import seed_people
from tests.integration.notes import Note, NoteV1


def raw_log(infra) -> bytes:
    with infra.pool.connection() as conn:
        rows = conn.execute(sql.SQL("SELECT state FROM {}").format(sql.Identifier(EVENTS_TABLE))).fetchall()
    return b"\n".join(bytes(r["state"]) for r in rows)


def test_personal_fields_are_never_plain_text_in_the_log(fresh_infra):
    people = seed_people(fresh_infra, 3)
    log = raw_log(fresh_infra)
    for person in people:
        assert person.email.encode() not in log
        assert "bio of".encode() not in log
    assert b"pd1:" in log


def test_erasure_then_replay_and_rebuild_forget_only_that_person(fresh_infra):
    infra = fresh_infra
    alice, bob = seed_people(infra, 2)
    deps = deps_for(infra)
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


def _rows(infra, aggregate_id) -> list[dict]:
    with infra.pool.connection() as conn:
        return conn.execute(
            sql.SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {}"
                    " WHERE originator_id = %s ORDER BY notification_id").format(sql.Identifier(EVENTS_TABLE)),
            (aggregate_id,),
        ).fetchall()


def test_an_upcaster_runs_on_sealed_version_1_events_then_they_decrypt(fresh_infra):
    infra = fresh_infra
    author, about, note_id = uuid4(), uuid4(), uuid4()
    with caused_by(Cause(author, uuid4())):
        infra.store.record(Note.start(note_id, author, about, "Field trip"))
        # Yesterday's code stored Note.Written in its version 1 shape, under the same topic.
        old = NoteV1.Written(originator_id=note_id, originator_version=2, timestamp=datetime.now(UTC),
                             actor_id=author, command_id=uuid4(), author_id=author, text="we saw owls")
    written_v1 = infra.store.mapper.to_stored_event(old)
    infra.store.recorder.insert_events([StoredEvent(note_id, 2, get_topic(Note.Written), written_v1.state)])
    assert b"we saw owls" not in written_v1.state and b"class_version" not in written_v1.state

    note = infra.store.load(note_id)
    assert (note.body, note.mood) == ("we saw owls", "neutral")
    with caused_by(Cause(author, uuid4())):
        note.write("and a fox", "happy")  # today's code writes version 2
        infra.store.record(note)
    rows = _rows(infra, note_id)
    assert b'"class_version":2' in bytes(rows[2]["state"]) and b"a fox" not in bytes(rows[2]["state"])
    decoded = infra.store.decode_many(rows)
    assert [(type(e).__qualname__, getattr(e, "body", None), getattr(e, "mood", None)) for e in decoded] == [
        ("Note.Started", None, None), ("Note.Written", "we saw owls", "neutral"), ("Note.Written", "and a fox", "happy"),
    ]
    history = list(iter_history(infra.pool, infra.store, HistoryFilter(aggregate_id=note_id)))
    assert history[1]["data"] == {"author_id": author, "body": "we saw owls", "mood": "neutral"}

    infra.keys.erase(author)
    assert [getattr(e, "body", None) for e in infra.store.decode_many(rows)][1:] == [ERASED, ERASED]


def test_personal_fields_keep_their_type_and_unstorable_values_fail_clearly(fresh_infra):
    infra = fresh_infra
    author, note_id = uuid4(), uuid4()
    met_at = datetime(2026, 5, 1, 14, 30, tzinfo=UTC)
    with caused_by(Cause(author, uuid4())):
        note = Note.start(note_id, author, uuid4(), "Coffee")
        note.meet(met_at, {"room": "B2", "with": [author]})
        infra.store.record(note)
        rows = _rows(infra, note_id)
        assert met_at.isoformat().encode() not in bytes(rows[1]["state"])
        met = infra.store.decode_many(rows)[1]
        assert met.met_at == met_at and met.place == {"room": "B2", "with": [author]}

        note.meet(met_at, object())
        with pytest.raises(TypeError, match=r"personal field Note\.Met\.place holds a value the log cannot store"):
            infra.store.record(note)
    assert len(_rows(infra, note_id)) == 2


def test_a_persons_download_decrypts_only_their_own_fields(fresh_infra):
    infra = fresh_infra
    author, about, note_id = uuid4(), uuid4(), uuid4()
    with caused_by(Cause(author, uuid4())):
        note = Note.start(note_id, author, about, "About my colleague")
        note.write("private thoughts", "calm")
        infra.store.record(note)

    def download(person):
        about_them = HistoryFilter(person_id=person, person_actions=False)
        return list(iter_history(infra.pool, infra.store, about_them, readable_by=person))

    # Named in the note: they see that it exists, not what its author wrote.
    theirs = download(about)
    assert [(e["type"], e["data"]["title"]) for e in theirs] == [("Note.Started", "[redacted]")]
    # The note is its author's: all of it, decrypted.
    mine = download(author)
    assert [e["data"].get("title") or e["data"]["body"] for e in mine] == ["About my colleague", "private thoughts"]


def test_erasure_interrupted_before_the_key_is_destroyed_is_finished(fresh_infra, monkeypatch):
    from adapters.events.personal_data import KeyStore
    from tests.integration.test_projection_engine import catch_up
    from workers.startup import prepare

    infra = fresh_infra
    alice, bob = seed_people(infra, 2)
    deps = deps_for(infra)
    monkeypatch.setattr(KeyStore, "erase", lambda self, subject_id: (_ for _ in ()).throw(ConnectionError("crash")))
    with pytest.raises(ConnectionError):
        execute(erase_person, ErasePerson(user_id=alice.id), SYSTEM, deps)
    monkeypatch.undo()
    assert infra.keys.key_for_reading(alice.id) is not None  # User.Erased is in the log, the key survived
    catch_up(infra, identity)  # the projection applies User.Erased: the key goes
    assert infra.keys.key_for_reading(alice.id) is None
    assert infra.keys.key_for_reading(bob.id) is not None

    # A key that outlived an erasure applied before this repair existed goes at start-up.
    with infra.pool.connection() as conn:
        conn.execute("DELETE FROM personal_data_keys WHERE subject_id = %s", (alice.id,))
    assert infra.keys.key_for_writing(alice.id) is not None
    prepare(infra)
    assert infra.keys.key_for_reading(alice.id) is None and infra.keys.key_for_writing(alice.id) is None
    assert infra.keys.key_for_reading(bob.id) is not None
    replayed = list(iter_history(infra.pool, infra.store, HistoryFilter(aggregate_id=alice.id)))
    assert replayed[0]["data"]["email"] == ERASED
