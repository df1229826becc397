"""A CloudEvent read back from Kafka is the very event the store decodes from the log."""

from __future__ import annotations

import orjson
import pytest

from adapters.events.cloudevents import SealedLog, to_json
from adapters.events.envelope_events import (
    EnvelopeDecoder,
    UnknownEventType,
    exact_on_wire,
)
from tests.integration.conftest import seed_people
from workers.demo.loader import load_demo


def test_every_event_of_the_demo_comes_back_from_its_envelope_as_the_store_decodes_it(fresh_infra):
    infra = fresh_infra
    load_demo(infra)
    seed_people(infra, 3)
    sealed, decoder = SealedLog(infra.pool, infra.store), EnvelopeDecoder(infra.pool, infra.store)
    rows = sealed.rows_after(0, 100_000)
    envelopes = [orjson.loads(to_json(e)) for e in sealed.envelopes(rows, after=0)]
    from_log = infra.store.decode_many(rows)
    from_wire = decoder.events(envelopes)
    assert [type(decoder.event(e)) for e in envelopes[:20]] == [type(e) for e in from_log[:20]]
    assert [(type(e), vars(e)) for e in from_wire] == [(type(e), vars(e)) for e in from_log]
    wire_types = {type(e).__qualname__ for e in from_log if exact_on_wire(type(e))}
    assert {"User.RoleGranted", "User.ProfileUpdated", "SchoolClass.StudentJoined"} <= wire_types
    assert not exact_on_wire(type(next(e for e in from_log if type(e).__qualname__ == "Session.Started")))
    assert any(e.get("previousposition") == p["position"] for e, p in zip(envelopes[1:], envelopes))


def test_an_unknown_event_type_is_a_clear_error(fresh_infra):
    with pytest.raises(UnknownEventType, match="skillhub.identity.User.Teleported"):
        EnvelopeDecoder(fresh_infra.pool, fresh_infra.store).event({"type": "skillhub.identity.User.Teleported", "position": 7})
