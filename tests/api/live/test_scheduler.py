"""The live-sessions scheduler: jobs derived from the read model, the same jobs again after a
restart, the session opened on time, the reminder sent through the notification rules, and the
close re-created after a restart mid-session."""

from __future__ import annotations

import threading
import time
import uuid

from projections.live.read_model import live as live_model
from projections.notification.decisions import notification
from projections.engine.tracking import log_head, wait_for_position
from tests.api.live.conftest import API
from workers.live.sessions import LiveSessionScheduler


def jobs(scheduler):
    return {job.id for job in scheduler.scheduler.get_jobs()}


def test_sessions_open_on_time_and_a_restart_recreates_the_jobs(live, kit, app, infra):
    quiz = live.room_and_quiz(1)
    student = quiz.room.students[0]
    title = f"Algebra live {uuid.uuid4().hex[:6]}"  # the cast's students get other tests' reminders too
    done = kit.ok(live.schedule(quiz, starts_in=5, duration=600, title=title), 201)
    sid = done["session_id"]
    wait_for_position(infra.pool, [live_model], done["position"], 10)
    before = LiveSessionScheduler(app.state.deps)
    before.sync()
    planned = {j for j in jobs(before) if sid in j}
    assert {j.split(f"-{sid}")[0] for j in planned} == {"live-remind", "live-open"}
    after_restart = LiveSessionScheduler(app.state.deps, resync_seconds=0.5)
    after_restart.sync()
    assert {j for j in jobs(after_restart) if sid in j} == planned  # nothing the first one held is lost

    stop = threading.Event()
    worker = threading.Thread(target=after_restart.run, args=(stop,))
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while kit.ok(kit.get(student, f"/live-sessions/{sid}"))["status"] != "open" and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        stop.set()
        worker.join(5)
    assert kit.ok(kit.get(student, f"/live-sessions/{sid}"))["status"] == "open"
    wait_for_position(infra.pool, [notification, live_model], log_head(infra.pool), 10)
    inbox = kit.ok(kit.client.get(f"{API}/notifications", headers=student.headers))["items"]
    assert [i["title"] for i in inbox if i["type"] == "live_session" and i["title"].startswith(title)] == [
        f"{title} starts at {kit.ok(kit.get(student, f'/live-sessions/{sid}'))['starts_at'][:16].replace('T', ' ')} UTC"]

    # A restart mid-session: the close comes back from the read model and ends the exam on time.
    again = LiveSessionScheduler(app.state.deps)
    again.sync()
    closing = [j for j in jobs(again) if j.startswith(f"live-close-{sid}")]
    assert len(closing) == 1
    kit.travel(seconds=700)
    assert again.act("close", sid)["ended"] is True
    assert again.act("close", sid) == {"ended": False}  # a second run records nothing
