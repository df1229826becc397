"""The dashboard pages as served: linked from the landing page, scripts and the charting library
from this server alone (no CDN), under the pages' Content-Security-Policy (no inline script)."""

from __future__ import annotations

import re

import pytest

from api.platform.security_headers import PAGE_POLICY

PAGES = ["/dashboards/student", "/dashboards/teacher", "/dashboards/admin"]


def test_the_landing_page_links_every_dashboard(client):
    page = client.get("/").text
    for path in PAGES:
        assert f'href="{path}"' in page
    assert "not part of this release" not in page


@pytest.mark.parametrize("path", PAGES)
def test_a_dashboard_page_loads_only_its_own_assets(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == PAGE_POLICY
    assert not re.findall(r"""(?:src|href)=["'](?:https?:)?//""", r.text)
    assert not re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", r.text)  # every script is a file: CSP forbids inline ones
    assert 'name="viewport" content="width=device-width' in r.text  # laid out for the phone's width
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', r.text)
    assert "/static/vendor/chartjs/chart.umd.min.js" in assets
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200 and served.headers["cache-control"] == "public, max-age=3600", asset


def test_the_charting_library_is_vendored_with_its_licence(client):
    library = client.get("/static/vendor/chartjs/chart.umd.min.js")
    assert library.text.startswith("/*!\n * Chart.js v4.") and "Released under the MIT License" in library.text[:300]
    licence = client.get("/static/vendor/chartjs/LICENSE.md")
    assert licence.status_code == 200 and "MIT" in licence.text and "Chart.js Contributors" in licence.text
