"""Every JSON route of the forum declares what it answers (api/forum/responses.py), so the
OpenAPI document describes each field a client reads."""

from __future__ import annotations

from api.forum import ROUTERS


def test_every_forum_route_answers_a_declared_model(app):
    spec = app.openapi()
    forum_paths = {route.path for router in ROUTERS for route in router.routes}
    assert len(forum_paths) > 20
    for path in forum_paths:
        for method, operation in spec["paths"][path].items():
            ok = next(v for k, v in operation["responses"].items() if k.startswith("2"))
            schema = ok["content"]["application/json"]["schema"]
            assert "$ref" in schema, f"{method.upper()} {path} answers an undeclared shape: {schema}"
