"""Catalog search: full-text ranking, filters, sorts and keyset pagination."""

from __future__ import annotations

import random
import string

import pytest

from domain.identity import Role


def word() -> str:
    """A made-up word no other test uses, so results are ours alone."""
    return "zq" + "".join(random.choices(string.ascii_lowercase, k=10))


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["course_id"] for c in response.json()["items"]]


def test_ranking_weighs_title_over_summary_over_description(kit):
    w = word()
    in_description = kit.published(title="Alpha", summary="plain", description=f"Deep inside we say {w}.")
    in_title = kit.published(title=f"The {w} course", summary="plain", description="nothing")
    in_summary = kit.published(title="Gamma", summary=f"About {w} mostly", description="nothing")
    kit.create(title=f"Draft about {w}")  # drafts are never found
    r = kit.search(in_summary["position"], q=w)
    assert ids(r) == [in_title["course_id"], in_summary["course_id"], in_description["course_id"]]
    ranks = [c["rank"] for c in r.json()["items"]]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]


def test_search_uses_each_course_languages_stemmer(kit):
    w = word()
    english = kit.published(title=f"Running {w} marathons", language="en-GB")
    french = kit.published(title=f"Les chevaux {w}", language="fr")
    pos = french["position"]
    assert ids(kit.search(pos, q=f"{w} runs")) == [english["course_id"]]  # run(s/ning) -> run
    assert ids(kit.search(pos, q=f"{w} cheval")) == [french["course_id"]]  # chevaux -> cheval
    assert ids(kit.search(pos, q=f'"{w} marathon" -running')) == []  # web-search syntax
    assert ids(kit.search(pos, q=w, language="en")) == [english["course_id"]]  # en finds en-GB
    assert ids(kit.search(pos, q=w, language="fr")) == [french["course_id"]]


def test_filters_by_tag_level_and_language(kit):
    tag = word()
    a = kit.published(title="A", tags=[tag, "python"], level="beginner", language="en")
    b = kit.published(title="B", tags=[tag.upper()], level="advanced", language="de")
    c = kit.published(title="C", tags=["other"], level="advanced", language="de")
    pos = c["position"]
    assert set(ids(kit.search(pos, tag=tag))) == {a["course_id"], b["course_id"]}
    assert ids(kit.search(pos, tag=tag, level="advanced")) == [b["course_id"]]
    assert ids(kit.search(pos, tag=tag, language="DE")) == [b["course_id"]]
    assert ids(kit.search(pos, tag=tag, level="intermediate")) == []
    item = kit.search(pos, tag=tag, level="beginner").json()["items"][0]
    assert item["title"] == "A" and item["tags"] == [tag, "python"] and "rank" not in item


def test_sorts_and_pages_without_gaps_or_repeats(client, make_person, kit):
    tag = word()
    beta = kit.published(title="beta", tags=[tag])
    alpha = kit.published(title="Alpha", tags=[tag])
    gamma = kit.published(title="Gamma", tags=[tag])
    for course, students in ((beta, 2), (gamma, 1)):
        for _ in range(students):
            r = client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=make_person().headers)
            assert r.status_code == 201, r.text
    pos = r.json()["position"]
    newest = [gamma["course_id"], alpha["course_id"], beta["course_id"]]
    assert ids(kit.search(pos, tag=tag)) == newest
    assert ids(kit.search(pos, tag=tag, sort="title")) == [alpha["course_id"], beta["course_id"], gamma["course_id"]]
    popular = kit.search(pos, tag=tag, sort="popular").json()["items"]
    assert [c["course_id"] for c in popular] == [beta["course_id"], gamma["course_id"], alpha["course_id"]]
    assert [c["enrolment_count"] for c in popular] == [2, 1, 0]
    for sort, expected in (("newest", newest), ("title", [alpha["course_id"], beta["course_id"], gamma["course_id"]])):
        seen, cursor = [], None
        while True:
            page = kit.search(pos, tag=tag, sort=sort, limit=1, **({"cursor": cursor} if cursor else {})).json()
            seen += [c["course_id"] for c in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert seen == expected


def test_relevance_pages_follow_the_ranking(kit):
    w = word()
    courses = [kit.published(title=f"{w} " * (3 - i) + "course", summary=f"{w}") for i in range(3)]
    pos = courses[-1]["position"]
    first = kit.search(pos, q=w, limit=2).json()
    second = kit.search(pos, q=w, limit=2, cursor=first["next_cursor"]).json()
    assert second["next_cursor"] is None
    assert [c["course_id"] for c in first["items"] + second["items"]] == [c["course_id"] for c in courses]


@pytest.mark.parametrize("params", [
    {"sort": "relevance"}, {"sort": "random"}, {"level": "expert"}, {"cursor": "not-a-cursor"},
    {"q": "x" * 201}, {"limit": 0}, {"limit": 101}, {"category_id": "nope"}, {"language": "e%"},
])
def test_bad_search_parameters_are_422(client, params):
    r = client.get("/api/v1/courses", params=params)
    assert r.status_code == 422, r.text
    assert r.json()["errors"]


def test_a_cursor_only_fits_its_own_sort(kit):
    tag = word()
    kit.published(title="one", tags=[tag])
    last = kit.published(title="two", tags=[tag])
    cursor = kit.search(last["position"], tag=tag, limit=1).json()["next_cursor"]
    r = kit.search(last["position"], tag=tag, limit=1, sort="title", cursor=cursor)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cursor"


def test_anyone_searches_without_logging_in(client, make_person, kit):
    course = kit.published(title=f"Open {word()}")
    for headers in ({}, make_person(Role.TEACHER).headers):
        r = client.get("/api/v1/courses", params={"min_position": course["position"], "limit": 100}, headers=headers)
        assert r.status_code == 200 and r.json()["items"]
