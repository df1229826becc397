"""The learner worker's tables (schema `learner`), written only by workers/learner/ and read by
the mastery and next-step queries. Every estimate names the model version and the log position
it came from; `answers` keeps each answer the model learned, with its position, so an auditor
can see the events behind an estimate; `suggestions` keeps every next step a student was shown.

`checkpoint` holds the pickled model and the position it has applied; the derived rows may run
ahead of it (they are written with every batch, the checkpoint too), and a replay from the
checkpoint rewrites them identically, since the model is deterministic."""

from __future__ import annotations

from psycopg_pool import ConnectionPool

SCHEMA = "learner"

DDL = (
    "CREATE SCHEMA IF NOT EXISTS learner",
    "CREATE TABLE IF NOT EXISTS learner.checkpoint (one boolean PRIMARY KEY DEFAULT true CHECK (one),"
    " model_version text NOT NULL, position bigint NOT NULL DEFAULT 0, state bytea, saved_at timestamptz)",
    "CREATE TABLE IF NOT EXISTS learner.mastery (student_id uuid NOT NULL, skill text NOT NULL,"
    " probability double precision NOT NULL, low double precision NOT NULL, high double precision NOT NULL,"
    " answers integer NOT NULL, right_answers integer NOT NULL, last_practised timestamptz NOT NULL,"
    " model_version text NOT NULL, position bigint NOT NULL, PRIMARY KEY (student_id, skill))",
    "CREATE TABLE IF NOT EXISTS learner.answers (position bigint NOT NULL, question_id text NOT NULL,"
    " student_id uuid NOT NULL, skills text[] NOT NULL, correct boolean NOT NULL, answered_at timestamptz NOT NULL,"
    " PRIMARY KEY (position, question_id))",
    "CREATE INDEX IF NOT EXISTS answers_by_student ON learner.answers (student_id, position)",
    "CREATE TABLE IF NOT EXISTS learner.items (question_id text PRIMARY KEY, skills text[] NOT NULL,"
    " answers integer NOT NULL, right_answers integer NOT NULL)",
    "CREATE INDEX IF NOT EXISTS items_by_skill ON learner.items USING gin (skills)",
    "CREATE TABLE IF NOT EXISTS learner.open_attempts (attempt_id uuid PRIMARY KEY, student_id uuid NOT NULL,"
    " quiz_id uuid NOT NULL, started_at timestamptz NOT NULL, position bigint NOT NULL)",
    "CREATE INDEX IF NOT EXISTS open_attempts_by_student ON learner.open_attempts (student_id, started_at)",
    "CREATE TABLE IF NOT EXISTS learner.skills (name text PRIMARY KEY, prerequisites text[] NOT NULL,"
    " lesson_ids uuid[] NOT NULL, position bigint NOT NULL)",
    "CREATE TABLE IF NOT EXISTS learner.suggestions (suggestion_id uuid PRIMARY KEY, student_id uuid NOT NULL,"
    " shown_at timestamptz NOT NULL, rank integer NOT NULL, kind text NOT NULL, skill text, target jsonb NOT NULL,"
    " reason text NOT NULL, evidence jsonb NOT NULL, model_version text NOT NULL, position bigint NOT NULL)",
    "CREATE INDEX IF NOT EXISTS suggestions_by_student ON learner.suggestions (student_id, shown_at DESC)",
)
DERIVED = ("mastery", "answers", "items", "open_attempts", "skills")  # rebuilt from the log with the model


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        for ddl in DDL:
            conn.execute(ddl)
