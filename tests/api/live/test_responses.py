"""Every JSON route of the live context declares its response model, each field typed: the
OpenAPI schema names a model for every success response, and no model is a bare object."""

from __future__ import annotations

from api.live import pages, report, routes


def test_every_live_json_route_declares_a_typed_response(app):
    schema = app.openapi()
    live_paths = {r.path for m in (routes, report) for r in m.router.routes}
    assert not {r.path for r in pages.router.routes} & live_paths  # the pages are HTML
    components = schema["components"]["schemas"]
    for path in live_paths:
        for method, operation in schema["paths"][path].items():
            ok = next(v for code, v in operation["responses"].items() if code.startswith("2"))
            target = ok["content"]["application/json"]["schema"]
            assert "$ref" in target, f"{method.upper()} {path} has no response model"
            model = components[target["$ref"].rsplit("/", 1)[-1]]
            assert model["properties"] and all(p for p in model["properties"].values()), (method, path)
