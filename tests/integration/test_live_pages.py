"""The live session pages in headless Chromium with fake camera and microphone: the examiner's
page and the student's page log in, connect over the session's socket, exchange WebRTC offers,
answers and ICE candidates through the server, and each receives the other's video track.
Skipped where no Chromium is installed (Playwright drives /usr/bin/chromium; it downloads nothing)."""

from __future__ import annotations

import shutil
import time
import uuid

import httpx
import pytest

from adapters.infrastructure import open_infrastructure
from commands.pipeline import SYSTEM, deps_for, execute
from commands.identity.roles import ChangeRole, grant_role
from domain.identity import Role
from tests.conftest import settings_for
from tests.live_servers import SECRET, live_exam, log_in, ok, person, start_server, wait_ready

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")
FLAGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
         "--disable-features=WebRtcHideLocalIpsWithMdns", "--no-sandbox"]


def poll(page, expression, timeout=30.0):
    """The expression's value once truthy. (wait_for_function evaluates a string in the page, which
    the pages' Content-Security-Policy forbids; evaluate goes through the debugger, which it allows.)"""
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(expression)):
        assert time.monotonic() < deadline, f"{expression} stayed {value!r}; status {page.evaluate('window.liveState')}"
        time.sleep(0.2)
    return value


def join(page, host, session_id, who, part):
    page.goto(f"http://{host}/live/{session_id}/{part}")
    page.fill("input[name=email]", who["email"])
    page.fill("input[name=password]", who["password"])
    page.click("#login button")
    poll(page, "window.liveState.status.startsWith('connected')")


@pytest.mark.timeout(400)  # a server start and a browser on a shared machine
def test_examiner_and_student_pages_see_each_others_video(make_database, tmp_path):
    database = make_database()
    server, host = start_server(tmp_path, database, "projections,live-sessions", "pages")
    try:
        wait_ready(host, tmp_path)
        tag = uuid.uuid4().hex[:8]
        teacher = person(host, f"teacher-{tag}@school.example.com")
        infra = open_infrastructure(settings_for(tmp_path, secret_key=SECRET), database)
        try:
            execute(grant_role, ChangeRole(user_id=teacher["user_id"], role=Role.TEACHER), SYSTEM, deps_for(infra))
        finally:
            infra.close()
        teacher = log_in(host, teacher)
        student = log_in(host, person(host, f"student-{tag}@school.example.com"))
        session_id, _ = live_exam(host, teacher, [student], starts_in=4)
        deadline = time.monotonic() + 30
        while ok(httpx.get(f"http://{host}/api/v1/live-sessions/{session_id}", headers=student["headers"]))["status"] != "open":
            assert time.monotonic() < deadline
            time.sleep(0.3)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            try:
                student_page = browser.new_context().new_page()
                examiner_page = browser.new_context().new_page()
                join(student_page, host, session_id, student, "student")
                join(examiner_page, host, session_id, teacher, "examiner")  # calls the student already there
                for page in (examiner_page, student_page):
                    assert poll(page, "window.liveState.remoteTracks >= 1")
                    width = poll(page, "[...document.querySelectorAll('#videos video:not(#local)')]"
                                       ".map(v => v.videoWidth).find(w => w > 0) || 0")
                    assert width > 0  # frames of the fake camera arrived
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(30)
