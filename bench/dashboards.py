"""The dashboards with the OULAD history loaded: each page's API calls (p50/p99 over HTTP) and
each page's load in headless Chromium (navigation to everything drawn, p50/p99), for a student
with the most results, the course owner on the largest presentation, and an admin; a screenshot
of each page is left in bench/results/.

    .venv/bin/python -m bench.dashboards [--presentations BBB-2013J ...] [--learners N] [--rounds 20]
                                         [--keep | --database URL]

On a fresh database (embedded server, or BENCH_DATABASE_URL / DATABASE_URL): imports
../shared/datasets/oulad with `skillhub demo load --oulad`'s loader, lets every projection runner
catch up, serves the API with uvicorn on a loopback port, and measures. Needs Debian's chromium
(the page loads are skipped, saying so, without it). To measure other code on the same history
without importing it again: a server that outlives the run (BENCH_DATABASE_URL), `--keep` once,
then `--database URL` (changed read models are rebuilt by their runners before measuring).
"""

from __future__ import annotations

import argparse
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import uvicorn

from bench.assessment import wait_caught_up
from bench.common import Measurement
from bench.http_server import free_port
from bench.oulad_import import FOLDER, oulad_loaded
from commands.analytics.history_import import imported_id
from domain.identity import Role
from workers.demo.loader import DEMO_PASSWORD, create_person
from workers.oulad.dataset import Slice, read_oulad
from workers.oulad.loader import (
    LEARNER_PASSWORD,
    STAFF_EMAIL,
    learner_email,
)
from workers.runtime import start_projection_runners

ADMIN_EMAIL = "bench-admin@bench.example.com"
SCREENSHOTS = Path(__file__).resolve().parent / "results"  # git-ignored


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--presentations", nargs="*", default=(), help="only these, e.g. BBB-2013J (default: all 22)")
    p.add_argument("--learners", type=int, default=None, help="at most this many learners per presentation")
    p.add_argument("--rounds", type=int, default=20, help="calls of each API route and loads of each page")
    p.add_argument("--keep", action="store_true", help="keep the loaded database (its URL is printed at the end)")
    p.add_argument("--database", help="measure on a database loaded and kept by an earlier run (no import);"
                   " --presentations and --learners must be those of that run")
    return p.parse_args()


def serve(app: Any) -> tuple[str, uvicorn.Server]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def token(base: str, email: str, password: str) -> str:
    r = httpx.post(f"{base}/api/v1/sessions", json={"email": email, "password": password}, timeout=60)
    r.raise_for_status()
    return str(r.json()["access_token"])


def page_calls(base: str, tokens: dict[str, str], who: dict[str, Any]) -> dict[str, list[str]]:
    """Each page's API calls, as its script makes them."""
    student, course = who["student_id"], who["course_id"]
    scopes = httpx.get(f"{base}/api/v1/progress/students/{student}",
                       headers={"Authorization": f"Bearer {tokens['student']}"}).json()["scopes"]
    return {
        "student": ["/users/me", f"/progress/students/{student}", "/dashboards/me/activity?days=30", "/me/certificates",
                    *(f"/gradebooks/{s['scope_id']}/students/{student}" for s in scopes if s["active"]),
                    f"/learners/{student}/mastery", f"/learners/{student}/next-steps?limit=5", "/me/recommendations?limit=5"],
        "teacher": ["/users/me", "/dashboards/me/teaching", f"/dashboards/scopes/{course}/mastery",
                    f"/analytics/scopes/{course}/engagement?period=week",
                    f"/analytics/scopes/{course}/funnel", f"/analytics/scopes/{course}/at-risk?limit=200",
                    f"/courses/{course}/quizzes?limit=200"],
        "admin": ["/users/me", "/analytics/platform?days=30", "/analytics/courses/popularity"],
    }


def _short(path: str) -> str:
    """The route with ids left out: /analytics/scopes/{id}/funnel -> /analytics/scopes/…/funnel."""
    return "/".join("…" if len(part) == 36 else part for part in path.split("?")[0].split("/"))


def time_api(base: str, tokens: dict[str, str], calls: dict[str, list[str]], rounds: int) -> None:
    with httpx.Client(base_url=f"{base}/api/v1", timeout=60) as client:
        for page, paths in calls.items():
            headers = {"Authorization": f"Bearer {tokens[page]}"}
            for path in paths:
                latencies, began = [], time.perf_counter()
                for _ in range(rounds):
                    t0 = time.perf_counter()
                    client.get(path, headers=headers).raise_for_status()
                    latencies.append(time.perf_counter() - t0)
                print(Measurement(f"{page} {_short(path)}", rounds, time.perf_counter() - began,
                                  latencies).line("calls/s"), flush=True)


def time_pages(base: str, people: dict[str, tuple[str, str]], paths: dict[str, str], rounds: int) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("page loads: skipped, no chromium on this machine (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for page_name, (email, password) in people.items():
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{base}{paths[page_name]}")
            # Functions, not expressions: the page's CSP forbids eval, which Playwright uses for a string.
            page.wait_for_function("() => document.body.dataset.ready === 'sign-in'")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", password)
            page.click("#sign-in-form button[type=submit]")
            page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=60000)
            loads = []
            for _ in range(rounds):
                page.reload()
                page.wait_for_function("() => ['true', 'error'].includes(document.body.dataset.ready)", timeout=60000)
                assert page.evaluate("document.body.dataset.ready") == "true", page.inner_text("#load-error")
                loads.append(page.evaluate("window.dashboardReadyMs") / 1000)
            print(Measurement(f"page load {page_name} (navigation to all drawn)", rounds, sum(loads), loads)
                  .line("loads/s"), flush=True)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"dashboard-{page_name}.png"), full_page=True)
        browser.close()


def main() -> None:
    args = parse_args()
    part = Slice(tuple(args.presentations), args.learners)
    with oulad_loaded("skillhub-bench-dashboards-", part, args.keep, args.database) as infra:
        if args.database is None:
            create_person(infra, ADMIN_EMAIL, DEMO_PASSWORD, "Bench Admin", [Role.ADMIN])
        workers = start_projection_runners(infra)
        # The whole history takes the runners well over the helper's 15-minute default on a busy machine.
        print(f"projection runners caught up in {wait_caught_up(infra.pool, timeout=7200):.1f} s", flush=True)
        data = read_oulad(FOLDER, part)
        busiest = data.results.group_by("id_student").len().sort("len", "id_student", descending=True)["id_student"][0]
        largest = data.registrations.group_by("key").len().sort("len", "key", descending=True)["key"][0]
        who = {"student_id": imported_id("learner", busiest), "course_id": imported_id("course", largest)}
        print(f"student: OULAD learner {busiest}; course: {largest}, "
              f"{data.registrations.filter(pl.col('key') == largest).height:,} registrations\n", flush=True)
        from api.app import create_app

        base, uvicorn_server = serve(create_app(infra))
        try:
            people = {"student": (learner_email(busiest), LEARNER_PASSWORD),
                      "teacher": (STAFF_EMAIL, DEMO_PASSWORD), "admin": (ADMIN_EMAIL, DEMO_PASSWORD)}
            tokens = {page: token(base, *person) for page, person in people.items()}
            time_api(base, tokens, page_calls(base, tokens, who), args.rounds)
            paths = {"student": "/dashboards/student", "teacher": f"/dashboards/teacher?scope={who['course_id']}",
                     "admin": "/dashboards/admin"}
            time_pages(base, people, paths, args.rounds)
        finally:
            uvicorn_server.should_exit = True
            workers.shutdown()


if __name__ == "__main__":
    main()
