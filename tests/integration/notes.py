"""Test-only aggregates: a note whose `Written` event is at class version 2, and the shape
version 1 had (used to write events as yesterday's code stored them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.event_conventions import Root


class Note(Root):
    class Started(Root.Created):
        author_id: UUID
        about_id: UUID  # someone the note is about: names them, their data it is not
        title: str
        personal_fields = ("title",)
        personal_subject = "author_id"

        def apply(self, note: Note) -> None:
            note.author_id, note.title, note.body, note.mood, note.met_at = self.author_id, self.title, "", "", None

    class Written(Root.Event):
        """v1 had `text`; v2 calls it `body` and adds `mood`."""

        class_version = 2
        author_id: UUID
        body: str
        mood: str
        personal_fields = ("body",)
        personal_subject = "author_id"

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Runs on the sealed state: `text` is still ciphertext, moved as it is.
            state["body"] = state.pop("text")
            state["mood"] = "neutral"

        def apply(self, note: Note) -> None:
            note.body, note.mood = self.body, self.mood

    class Met(Root.Event):
        author_id: UUID
        met_at: datetime
        place: Any
        personal_fields = ("met_at", "place")
        personal_subject = "author_id"

        def apply(self, note: Note) -> None:
            note.met_at = self.met_at

    @classmethod
    def start(cls, note_id: UUID, author_id: UUID, about_id: UUID, title: str) -> Note:
        return cls._create(cls.Started, id=note_id, author_id=author_id, about_id=about_id, title=title)

    def write(self, body: str, mood: str) -> None:
        self.trigger_event(self.Written, author_id=self.author_id, body=body, mood=mood)

    def meet(self, met_at: datetime, place: Any) -> None:
        self.trigger_event(self.Met, author_id=self.author_id, met_at=met_at, place=place)


class NoteV1(Root):
    """Only its event's shape matters: Note.Written as version 1 stored it."""

    class Written(Root.Event):
        author_id: UUID
        text: str
        personal_fields = ("text",)
        personal_subject = "author_id"
