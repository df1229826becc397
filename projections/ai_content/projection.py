"""Read model of the AI tools: accepted lesson topics, the lesson-question links they make, and
question drafts.

`lesson_skills` holds each accepted skill of a lesson (normalised: trimmed, lower case);
`question_skills` each skill of a live question with its bank's owner; the view
`lesson_question_links` joins them: a lesson and a question are linked when the question names a
skill the lesson's author accepted for the lesson and the question is in a bank of the same
course, or in any bank when `same_course` is false. Mastery does not read these tables: the
learner worker follows `ContentTopics.Accepted` itself into its skill map
(workers/learner/skill_map.py, docs/personalization.md)."""

from __future__ import annotations

from typing import Any

import orjson
import psycopg
from psycopg.types.json import Jsonb

from domain.ai.question_drafts import QuestionDraft
from domain.ai.topics import ContentTopics
from domain.question_bank import Question, QuestionBank
from projections.engine.engine import Projection

ai_content = Projection(
    name="ai_content",
    tables=[
        """CREATE TABLE IF NOT EXISTS topics (
            topics_id uuid PRIMARY KEY, course_id uuid NOT NULL, lesson_id uuid, skills text[] NOT NULL DEFAULT '{}',
            tags text[] NOT NULL DEFAULT '{}', key_concepts text[] NOT NULL DEFAULT '{}', analyser_version text,
            source_position bigint, accepted_by uuid, accepted_at timestamptz)""",
        "CREATE INDEX IF NOT EXISTS topics_course ON topics (course_id)",
        """CREATE TABLE IF NOT EXISTS lesson_skills (
            lesson_id uuid NOT NULL, course_id uuid NOT NULL, skill text NOT NULL, PRIMARY KEY (lesson_id, skill))""",
        "CREATE INDEX IF NOT EXISTS lesson_skills_skill ON lesson_skills (skill)",
        "CREATE TABLE IF NOT EXISTS questions (question_id uuid PRIMARY KEY, bank_id uuid NOT NULL)",
        "CREATE TABLE IF NOT EXISTS banks (bank_id uuid PRIMARY KEY, owner_kind text NOT NULL, owner_id uuid NOT NULL)",
        """CREATE TABLE IF NOT EXISTS question_skills (
            question_id uuid NOT NULL, bank_id uuid NOT NULL, skill text NOT NULL, PRIMARY KEY (question_id, skill))""",
        "CREATE INDEX IF NOT EXISTS question_skills_skill ON question_skills (skill)",
        """CREATE OR REPLACE VIEW lesson_question_links AS
            SELECT l.lesson_id, l.course_id, l.skill, q.question_id, q.bank_id,
                   (b.owner_kind = 'course' AND b.owner_id = l.course_id) AS same_course
              FROM lesson_skills l JOIN question_skills q USING (skill) JOIN banks b USING (bank_id)""",
        """CREATE TABLE IF NOT EXISTS drafts (
            draft_id uuid PRIMARY KEY, course_id uuid NOT NULL, lesson_id uuid NOT NULL, status text NOT NULL,
            content jsonb NOT NULL, source_sentence text NOT NULL, generator text NOT NULL,
            source_position bigint NOT NULL, created_at timestamptz NOT NULL, created_by uuid,
            question_id uuid, bank_id uuid, reason text)""",
        "CREATE INDEX IF NOT EXISTS drafts_lesson ON drafts (course_id, lesson_id, created_at, draft_id)",
    ],
)


def _json(value: Any) -> Jsonb:
    return Jsonb(value, dumps=lambda v: orjson.dumps(v, default=str).decode())


def normalised(skills: list[str]) -> list[str]:
    return sorted({" ".join(s.split()).lower() for s in skills if s.strip()})


@ai_content.on
def topics_created(cur: psycopg.Cursor, e: ContentTopics.Created) -> None:
    cur.execute("INSERT INTO topics (topics_id, course_id, lesson_id) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (e.originator_id, e.course_id, e.lesson_id))


@ai_content.on
def topics_accepted(cur: psycopg.Cursor, e: ContentTopics.Accepted) -> None:
    row = cur.execute(
        "UPDATE topics SET skills = %s, tags = %s, key_concepts = %s, analyser_version = %s, source_position = %s,"
        " accepted_by = %s, accepted_at = %s WHERE topics_id = %s RETURNING course_id, lesson_id",
        (e.skills, e.tags, e.key_concepts, e.analyser_version, e.source_position, e.actor_id, e.timestamp,
         e.originator_id)).fetchone()
    if row is None or row["lesson_id"] is None:
        return
    cur.execute("DELETE FROM lesson_skills WHERE lesson_id = %s", (row["lesson_id"],))
    for skill in normalised(e.skills):
        cur.execute("INSERT INTO lesson_skills VALUES (%s, %s, %s)", (row["lesson_id"], row["course_id"], skill))


@ai_content.on
def bank_created(cur: psycopg.Cursor, e: QuestionBank.Created) -> None:
    cur.execute("INSERT INTO banks VALUES (%s, %s, %s) ON CONFLICT DO NOTHING", (e.originator_id, e.owner_kind, e.owner_id))


@ai_content.on
def question_created(cur: psycopg.Cursor, e: Question.Created) -> None:
    cur.execute("INSERT INTO questions VALUES (%s, %s) ON CONFLICT DO NOTHING", (e.originator_id, e.bank_id))
    _question_skills(cur, e.originator_id, e.content)


@ai_content.on
def question_revised(cur: psycopg.Cursor, e: Question.Revised) -> None:
    _question_skills(cur, e.originator_id, e.content)


def _question_skills(cur: psycopg.Cursor, question_id: Any, content: dict[str, Any]) -> None:
    cur.execute("DELETE FROM question_skills WHERE question_id = %s", (question_id,))
    for skill in normalised(content.get("skills", [])):
        cur.execute("INSERT INTO question_skills SELECT question_id, bank_id, %s FROM questions WHERE question_id = %s",
                    (skill, question_id))


@ai_content.on
def question_retired(cur: psycopg.Cursor, e: Question.Retired) -> None:
    cur.execute("DELETE FROM question_skills WHERE question_id = %s", (e.originator_id,))


@ai_content.on
def draft_generated(cur: psycopg.Cursor, e: QuestionDraft.Generated) -> None:
    cur.execute(
        "INSERT INTO drafts (draft_id, course_id, lesson_id, status, content, source_sentence, generator,"
        " source_position, created_at, created_by) VALUES (%s, %s, %s, 'draft', %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (e.originator_id, e.course_id, e.lesson_id, _json(e.content), e.source_sentence, e.generator,
         e.source_position, e.timestamp, e.actor_id))


@ai_content.on
def draft_approved(cur: psycopg.Cursor, e: QuestionDraft.Approved) -> None:
    cur.execute("UPDATE drafts SET status = 'approved', question_id = %s, bank_id = %s, content = %s WHERE draft_id = %s",
                (e.question_id, e.bank_id, _json(e.content), e.originator_id))


@ai_content.on
def draft_rejected(cur: psycopg.Cursor, e: QuestionDraft.Rejected) -> None:
    cur.execute("UPDATE drafts SET status = 'rejected', reason = %s WHERE draft_id = %s", (e.reason, e.originator_id))
