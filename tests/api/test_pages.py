"""Pages people open: the landing page and the API reference, served from this server alone
(no CDN), with headers that stop framing, sniffing and shared caching of personal answers."""

from __future__ import annotations

import re

from api.platform.security_headers import PAGE_POLICY


def _external_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)=["'](https?:)?//[^"']+""", html)


def test_the_landing_page_offers_sign_in_and_the_api_reference(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<form id="sign-in-form">' in page and 'type="password"' in page
    assert 'href="/docs"' in page and 'href="/openapi.json"' in page
    assert not _external_urls(page)
    script = client.get("/static/home.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert '"/api/v1"' in script.text and "/sessions`" in script.text and "sessionStorage" in script.text
    assert script.headers["cache-control"] == "public, max-age=3600"


def test_the_api_reference_is_served_without_a_cdn(client):
    r = client.get("/docs")
    assert r.status_code == 200 and not _external_urls(r.text)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', r.text):
        served = client.get(asset)
        assert served.status_code == 200 and len(served.content) > 100, asset
    assert "/static/swagger-ui/swagger-ui-bundle.js" in r.text
    assert client.get("/redoc").status_code == 404  # FastAPI's ReDoc page would load a CDN


def test_pages_carry_a_content_security_policy_and_refuse_framing(client):
    for path in ("/", "/docs"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == PAGE_POLICY
        assert "script-src 'self'" in PAGE_POLICY and "frame-ancestors 'none'" in PAGE_POLICY
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"


def test_json_answers_are_not_sniffed_nor_kept_by_shared_caches(client, make_person):
    alice = make_person()
    for r in (client.get("/api/v1/users/me", headers=alice.headers), client.get("/api/v1/nothing-here"),
              client.get("/openapi.json")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
        assert "content-security-policy" not in r.headers  # JSON is not a page
