def test_register_login_and_read_my_profile(client, make_person):
    alice = make_person()
    r = client.get("/api/v1/users/me", headers=alice.headers, params={"min_position": alice.position})
    assert r.status_code == 200, r.text
    assert r.json()["email"] == alice.email
    assert r.json()["roles"] == ["student"]
