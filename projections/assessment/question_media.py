"""Question media read model: which questions and quiz versions link which media files
(`/api/v1/media/{id}/content` in their texts), so the media access rule finds the questions and
quizzes that show a file without reading every bank (commands/access/question_media_access.py).
A question's links are those of its current content; a quiz's are those of every version
published (a student on version 1 still sees its questions after a revision)."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import psycopg

from adapters.documents.rich_text import linked_media
from domain.question_bank import Question
from domain.quizzes import Quiz
from projections.engine.engine import Projection

question_media = Projection(
    name="question_media",
    tables=[
        """CREATE TABLE IF NOT EXISTS links (
            media_id uuid NOT NULL, holder text NOT NULL, holder_id uuid NOT NULL,
            PRIMARY KEY (media_id, holder, holder_id))""",
        "CREATE INDEX IF NOT EXISTS links_holder ON links (holder, holder_id)",
    ],
)


def _link(cur: psycopg.Cursor, holder: str, holder_id: UUID, content: Any) -> None:
    for media_id in linked_media(json.dumps(content)):
        cur.execute("INSERT INTO links (media_id, holder, holder_id) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    (media_id, holder, holder_id))


@question_media.on
def question_written(cur: psycopg.Cursor, e: Question.Created | Question.Revised) -> None:
    cur.execute("DELETE FROM links WHERE holder = 'question' AND holder_id = %s", (e.originator_id,))
    _link(cur, "question", e.originator_id, e.content)


@question_media.on
def quiz_published(cur: psycopg.Cursor, e: Quiz.Published) -> None:
    _link(cur, "quiz", e.originator_id, e.snapshot)


@question_media.on
def key_corrected(cur: psycopg.Cursor, e: Quiz.KeyCorrected) -> None:
    _link(cur, "quiz", e.originator_id, e.question)
