"""The learner's skill map from the log: lessons from a skill's definition and from the skills a
course's author accepted for a lesson, one map; a lesson's new acceptance replaces its old skills."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from domain.ai.topics import ContentTopics
from domain.event_conventions import Cause, caused_by
from domain.skills import Skill
from workers.learner.skill_map import SkillMapState


@pytest.fixture(autouse=True)
def cause() -> Iterator[Cause]:
    with caused_by(Cause(uuid.uuid4(), uuid.uuid4())) as c:
        yield c


def accepted(topics: ContentTopics, *skills: str) -> ContentTopics.Accepted:
    topics.accept(list(skills), [], [], {}, "text-analysis-v1", 1)
    return topics.collect_events()[-1]


def test_accepted_skills_and_definitions_make_one_map():
    course, lesson, taught = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    state = SkillMapState()
    topics = ContentTopics.start(course, lesson)
    assert state.apply(topics.collect_events()[0]) == []
    assert state.apply(accepted(topics, " Decimals", "Fractions")) == ["decimals", "fractions"]
    assert state.row("decimals") == ([], [lesson])

    skill = Skill.define("Decimals", ["fractions"], [taught])
    assert state.apply(skill.collect_events()[0]) == ["decimals"]
    assert state.row("decimals") == (["fractions"], [taught, lesson])  # the definition's lessons first

    assert state.apply(accepted(topics, "Fractions", "percentages")) == ["decimals", "fractions", "percentages"]
    assert state.row("decimals") == (["fractions"], [taught])
    assert state.row("percentages") == ([], [lesson])


def test_a_course_texts_topics_link_no_lesson():
    state = SkillMapState()
    topics = ContentTopics.start(uuid.uuid4(), None)
    state.apply(topics.collect_events()[0])
    assert state.apply(accepted(topics, "decimals")) == []
    assert state.row("decimals") == ([], [])
