"""Question bank read model: banks and their questions with type, skills, tags and content.
Questions keep the order they were written or imported in (`seq`)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from domain.question_bank import Question, QuestionBank
from projections.engine.engine import Projection

question_bank = Projection(
    name="question_bank",
    tables=[
        """CREATE TABLE IF NOT EXISTS banks (
            bank_id uuid PRIMARY KEY, owner_kind text NOT NULL, owner_id uuid NOT NULL, title text NOT NULL,
            created_at timestamptz NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS banks_owner ON banks (owner_id, created_at, bank_id)",
        """CREATE TABLE IF NOT EXISTS questions (
            question_id uuid PRIMARY KEY, seq bigint GENERATED ALWAYS AS IDENTITY, bank_id uuid NOT NULL,
            type text NOT NULL, title text NOT NULL, skills text[] NOT NULL, tags text[] NOT NULL,
            content jsonb NOT NULL, revision int NOT NULL, retired boolean NOT NULL DEFAULT false,
            created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS questions_bank ON questions (bank_id, seq)",
        "CREATE INDEX IF NOT EXISTS questions_skills ON questions USING gin (skills)",
        "CREATE INDEX IF NOT EXISTS questions_tags ON questions USING gin (tags)",
    ],
)


@question_bank.on
def bank_created(cur: psycopg.Cursor, e: QuestionBank.Created) -> None:
    cur.execute(
        "INSERT INTO banks (bank_id, owner_kind, owner_id, title, created_at) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (bank_id) DO NOTHING",
        (e.originator_id, e.owner_kind, e.owner_id, e.title, e.timestamp),
    )


@question_bank.on
def bank_renamed(cur: psycopg.Cursor, e: QuestionBank.Renamed) -> None:
    cur.execute("UPDATE banks SET title = %s WHERE bank_id = %s", (e.title, e.originator_id))


def _columns(content: dict[str, Any]) -> tuple[Any, ...]:
    # Skills are matched without regard to case (quiz draws), so they are kept lower-cased here.
    skills = [s.lower() for s in content.get("skills", [])]
    return content["type"], content["title"], skills, content.get("tags", []), Jsonb(content)


@question_bank.on
def question_created(cur: psycopg.Cursor, e: Question.Created) -> None:
    cur.execute(
        "INSERT INTO questions (question_id, bank_id, type, title, skills, tags, content, revision, created_at,"
        " updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, 1, %s, %s) ON CONFLICT (question_id) DO NOTHING",
        (e.originator_id, e.bank_id, *_columns(e.content), e.timestamp, e.timestamp),
    )


@question_bank.on
def question_revised(cur: psycopg.Cursor, e: Question.Revised) -> None:
    cur.execute(
        "UPDATE questions SET type = %s, title = %s, skills = %s, tags = %s, content = %s, revision = %s,"
        " updated_at = %s WHERE question_id = %s",
        (*_columns(e.content), e.revision, e.timestamp, e.originator_id),
    )


@question_bank.on
def question_retired(cur: psycopg.Cursor, e: Question.Retired) -> None:
    cur.execute("UPDATE questions SET retired = true, updated_at = %s WHERE question_id = %s",
                (e.timestamp, e.originator_id))
