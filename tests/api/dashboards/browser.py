"""Headless Chromium for the dashboard tests: Debian's `chromium` driven by Playwright's Python
package (executable_path; `playwright install` is never run, nothing downloads a browser), a real
HTTP server on a loopback port for it to open, and helpers to sign in and read a page back."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from adapters.infrastructure import Infrastructure
from tests.streaming import free_port

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "dashboards"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no Chromium on this machine: `make test` installs Debian's chromium when run as root with apt-get")
    return found


# Module scope: Playwright's sync API allows one instance per thread, and a package-scoped one
# imported into a test module outlived the module, so the next browser test (the live pages)
# failed to start its own.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright's Python package is not installed: `make install` installs the test extra")
    with sync_playwright() as playwright:
        # --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def live_server(infra: Infrastructure, workers: Any) -> Iterator[str]:
    """The API in a uvicorn server of its own (its own app, so its own session cache), on the
    test database, while the package's tests run."""
    from api.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(infra), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True, name="dashboards-live-server")
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the live server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


class Visit:
    """One person's tab: signs in through the page's own form and keeps every API answer the page got."""

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.responses: list[Any] = []
        self.page.on("response", lambda r: self.responses.append(r) if "/api/v1/" in r.url else None)

    def sign_in(self, path: str, email: str, password: str) -> None:
        self.page.goto(f"{self.base_url}{path}")
        self.wait_until("sign-in")
        self.page.fill("input[name=email]", email)
        self.page.fill("input[name=password]", password)
        self.page.click("#sign-in-form button[type=submit]")
        self.wait_until("true")

    def reload(self) -> int:
        """Opens the page again, signed in; the milliseconds from navigation to everything drawn."""
        self.responses.clear()
        self.page.reload()
        self.wait_until("true")
        return int(self.page.evaluate("window.dashboardReadyMs"))

    def wait_until(self, state: str) -> None:
        self.page.wait_for_function("s => ['error', s].includes(document.body.dataset.ready)", arg=state, timeout=15000)
        error = self.page.locator("#load-error")
        assert self.page.evaluate("document.body.dataset.ready") == state, error.inner_text()

    def answer(self, path: str) -> Any:
        """The JSON the page itself received for the API path (the part after /api/v1, query included)."""
        found = [r for r in self.responses if r.url.split("/api/v1", 1)[1] == path]
        assert found, f"the page did not call {path}; it called {[r.url for r in self.responses]}"
        assert found[-1].status == 200, found[-1].text()
        return found[-1].json()

    def chart(self, canvas_id: str) -> dict[str, Any]:
        """What Chart.js holds for the canvas: labels, datasets and how many elements it drew."""
        return self.page.evaluate("""id => {
            const chart = Chart.getChart(document.getElementById(id));
            return { labels: chart.data.labels, datasets: chart.data.datasets.map((d, i) => ({
              label: d.label, data: d.data, drawn: chart.getDatasetMeta(i).data.length })) };
        }""", canvas_id)

    def fits_the_width(self) -> bool:
        return bool(self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()
