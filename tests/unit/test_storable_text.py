"""No event may hold text PostgreSQL cannot store (NUL, an unpaired surrogate): Root refuses it
at any depth of any field, naming the field, and the aggregate is left as it was."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.application import Application

from domain.errors import InvalidInput
from domain.event_conventions import Cause, Root, caused_by
from domain.storable_text import shown, text_problem, unstorable

NUL, SURROGATE = "a\x00b", "\ud800"
NUL_PROBLEM, SURROGATE_PROBLEM = text_problem(NUL), text_problem(SURROGATE)


class Notebook(Root):
    """Test-only aggregate: one event holding any value."""

    class Opened(Root.Created):
        title: Any

    class Noted(Root.Event):
        note: Any

        def apply(self, notebook: Notebook) -> None:
            notebook.notes.append(self.note)

    def __init__(self, title: Any) -> None:
        self.title, self.notes = title, []

    @classmethod
    def open(cls, title: Any) -> Notebook:
        return cls._create(cls.Opened, id=uuid4(), title=title)

    def note(self, note: Any) -> None:
        self.trigger_event(self.Noted, note=note)


@pytest.fixture(autouse=True)
def cause():
    with caused_by(Cause(uuid4(), uuid4())) as c:
        yield c


def test_the_first_unstorable_text_is_found_at_any_depth_with_its_path():
    assert unstorable("plain", "f") is None and unstorable(42, "f") is None and unstorable(None, "f") is None
    assert unstorable({"a": ["ok", ("ok", {"b": NUL})]}, "f") == ("f.a.1.1.b", NUL_PROBLEM)
    assert unstorable([{"x": 1}, SURROGATE], "f") == ("f.1", SURROGATE_PROBLEM)
    assert unstorable({"tags": frozenset({NUL})}, "") == ("tags.0", NUL_PROBLEM)
    assert unstorable({"naïve 𝄞": "\u2028 é"}, "f") is None  # odd but valid Unicode is stored


def test_a_key_is_checked_too_and_shown_escaped():
    assert unstorable({f"k{SURROGATE}": 1}, "f") == ("f.k\\ud800", SURROGATE_PROBLEM)
    assert unstorable({NUL: 1}, "") == ("a\\x00b", NUL_PROBLEM)
    assert shown(f"{NUL}{SURROGATE}").encode("utf-8") == b"a\\x00b\\ud800"


@pytest.mark.parametrize("value, field, problem", [
    (NUL, "note", NUL_PROBLEM), ({"text": SURROGATE}, "note.text", SURROGATE_PROBLEM),
    (["fine", {"deep": [NUL]}], "note.1.deep.0", NUL_PROBLEM), ((SURROGATE,), "note.0", SURROGATE_PROBLEM),
])
def test_an_event_with_unstorable_text_is_refused_naming_the_field_and_changes_nothing(value, field, problem):
    app = Application()
    notebook = Notebook.open("Notes")
    app.save(notebook)
    with pytest.raises(InvalidInput) as refused:
        notebook.note(value)
    assert refused.value.fields == {field: problem}
    assert "Notebook.Noted" in refused.value.detail
    assert notebook.notes == [] and notebook.version == 1 and not notebook.pending_events
    assert app.repository.get(notebook.id).version == 1


@pytest.mark.parametrize("title", [NUL, {"parts": [SURROGATE]}])
def test_a_creation_event_with_unstorable_text_is_refused(title):
    with pytest.raises(InvalidInput) as refused:
        Notebook.open(title)
    assert list(refused.value.fields) == ["title" if isinstance(title, str) else "title.parts.0"]


def test_storable_text_of_every_kind_is_recorded():
    app = Application()
    notebook = Notebook.open("naïve café 𝄞")
    notebook.note({"list": ["\t tab", "emoji 🎓"], "none": None, "number": 1.5})
    app.save(notebook)
    assert app.repository.get(notebook.id).notes == [{"list": ["\t tab", "emoji 🎓"], "none": None, "number": 1.5}]
