"""Each list reads its cursor as the kinds it sorts by: a well-formed cursor whose values are of
other kinds (text where a time is, a time where a number is, another list's cursor) is a 422
naming the cursor, never a failed cast in SQL (a 500)."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.identity import Role
from projections.reading.pagination import encode_cursor

AN_ID = UUID("9f1c2b44-5d0e-4f6a-8b7c-1a2b3c4d5e6f")  # fixed: test ids must be the same in every xdist worker
A_TIME = "2026-03-01T12:30:00+00:00"


@pytest.mark.parametrize("path, params, cursor", [
    ("/me/classes", {}, encode_cursor("not a time", AN_ID)),         # sorted by (created_at, class_id)
    ("/media", {}, encode_cursor(7, AN_ID)),                          # sorted by (uploaded_at, media_id)
    ("/notifications", {}, encode_cursor(A_TIME)),                    # sorted by seq
    ("/notifications", {}, encode_cursor("12")),
    ("/course-reviews", {}, encode_cursor(AN_ID, AN_ID)),             # moderators: (submitted_at, course_id)
    ("/courses", {"sort": "popular"}, encode_cursor("popular", "many", AN_ID)),
    ("/courses", {"sort": "newest"}, encode_cursor("newest", 12, AN_ID)),
])
def test_a_cursor_of_the_wrong_kinds_is_a_422(client, make_person, path, params, cursor):
    person = make_person(Role.TEACHER, Role.MODERATOR)
    r = client.get(f"/api/v1{path}", params={**params, "cursor": cursor}, headers=person.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"] == [{"field": "cursor", "message": "not a cursor from this list"}]


def test_a_cursor_the_list_handed_out_still_pages(client, make_person):
    teacher = make_person(Role.TEACHER)
    for name in ("A", "B", "C"):
        r = client.post("/api/v1/classes", json={"name": name}, headers=teacher.headers)
        assert r.status_code == 201, r.text
    position = r.json()["position"]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "min_position": position, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/me/classes", params=params, headers=teacher.headers).json()
        seen += [c["name"] for c in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == ["A", "B", "C"]
