"""The auditor's view of the history over HTTP."""

from __future__ import annotations

from domain.identity import Role


def test_only_auditors_and_admins_read_the_history(client, make_person):
    student, teacher = make_person(), make_person(Role.TEACHER)
    assert client.get("/api/v1/audit/events").status_code == 401
    for person in (student, teacher):
        assert client.get("/api/v1/audit/events", headers=person.headers).status_code == 403
    for role in (Role.AUDITOR, Role.ADMIN):
        assert client.get("/api/v1/audit/events", headers=make_person(role).headers).status_code == 200


def test_history_filters_and_pages(client, make_person):
    auditor, alice = make_person(Role.AUDITOR), make_person()
    client.patch(f"/api/v1/users/{alice.user_id}", json={"display_name": "A2"}, headers=alice.headers)
    r = client.get("/api/v1/audit/events", headers=auditor.headers, params={"aggregate_id": alice.user_id})
    events = r.json()["items"]
    assert [e["type"] for e in events] == ["User.Registered", "User.ProfileUpdated"]
    assert events[1]["actor_id"] == alice.user_id and events[1]["command_id"]
    assert events[0]["data"]["password_hash"] == "[redacted]"
    by_person = client.get("/api/v1/audit/events", headers=auditor.headers, params={"person_id": alice.user_id}).json()["items"]
    assert {e["type"] for e in by_person} == {"User.Registered", "EmailClaim.Claimed", "Session.Started", "User.ProfileUpdated"}
    since = events[1]["time"]
    timed = client.get("/api/v1/audit/events", headers=auditor.headers,
                       params={"aggregate_id": alice.user_id, "since": since}).json()["items"]
    assert [e["type"] for e in timed] == ["User.ProfileUpdated"]
    pages, cursor = [], None
    while True:
        params = {"event_type": "User.Registered", "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/audit/events", headers=auditor.headers, params=params).json()
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    positions = [e["position"] for p in pages for e in p]
    assert positions == sorted(set(positions)) and len(pages) >= 2
    assert all(e["type"] == "User.Registered" for p in pages for e in p)


def test_bad_filters_are_422(client, make_person):
    auditor = make_person(Role.AUDITOR)
    for params in ({"aggregate_id": "nope"}, {"since": "yesterday"}, {"limit": 0}, {"cursor": "%%%"}):
        r = client.get("/api/v1/audit/events", headers=auditor.headers, params=params)
        assert r.status_code == 422, params


def test_times_without_an_offset_are_utc(client, make_person):
    auditor, alice = make_person(Role.AUDITOR), make_person()
    mine = {"aggregate_id": alice.user_id}
    for since in ("2024-01-01T00:00:00", "2024-01-01"):
        r = client.get("/api/v1/audit/events", headers=auditor.headers, params={**mine, "since": since})
        assert r.status_code == 200, r.text
        assert [e["type"] for e in r.json()["items"]] == ["User.Registered"]
    r = client.get("/api/v1/audit/events", headers=auditor.headers, params={**mine, "until": "2024-01-01T00:00:00"})
    assert r.status_code == 200 and r.json()["items"] == []


def test_since_after_until_is_422(client, make_person):
    auditor = make_person(Role.AUDITOR)
    r = client.get("/api/v1/audit/events", headers=auditor.headers,
                   params={"since": "2025-01-02T00:00:00", "until": "2025-01-01T00:00:00Z"})
    assert r.status_code == 422 and r.json()["errors"] == [{"field": "until", "message": "not after since"}]
