"""From a breach to a dispatched task: the alarm reaches the console live, pops a panel with the
right business and a live picture, and the operator's dispatch reaches central through the
outbox — also when the server was away at the moment of dispatch."""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import pytest

from central.demo_registry import DEMO_PASSWORD
from console.demo import start_child
from console.session import ConsoleSession
from db.models import Alarm
from tests.e2e.conftest import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]


def post(url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers,
                                 method="POST")
    return json.load(urllib.request.urlopen(req, timeout=10))


def get(url: str, token: str) -> dict:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    return json.load(urllib.request.urlopen(req, timeout=10))


def test_ai_alarm_pops_panel_and_dispatch_reaches_central(stack, qloop, qtbot,
                                                          tmp_path: Path) -> None:
    session = ConsoleSession(tmp_path / "console", layout="4")
    assert qloop.run_until_complete(session.async_start(stack.central_url, "operator",
                                                        DEMO_PASSWORD))
    qtbot.addWidget(session.window)
    centre = session.alarms
    wait_until(qloop, lambda: centre._seen is not None and
               session.window.tree.model.rowCount() >= 4, 20, "the first sync")

    camera_id = session.window.tree.model.all_sources[0].camera_id
    post(f"{stack.sim_url}/control/ai", {"camera_id": camera_id, "violation": "rodent"})
    wait_until(qloop, lambda: len(centre.panels) == 1, 20, "the alarm panel to pop")
    alarm_id, panel = next(iter(centre.panels.items()))
    assert panel.isVisible()
    assert panel.alarm_id() == alarm_id
    video = panel.take_video_widget()
    assert video is not None and video.cells()[0].camera_id == camera_id
    panel.set_video_widget(video)
    wait_until(qloop, lambda: video.tiles()[0].player is not None
               and video.tiles()[0].player.frames > 3, 20, "a live picture in the panel")

    # The server goes away; the operator dispatches anyway: queued, shown, then delivered once.
    central = stack.children[0]
    central.stop()
    wait_until(qloop, lambda: session.engine.state == "offline", 30, "offline state")
    draft = {"id": "a" * 32, "business_id": camera_id.rsplit("-", 1)[0],
             "district_id": camera_id.split("-")[0], "assignee": "kbs_field1",
             "title": "鼠患整改", "severity": 4, "notes": "请立即到场检查"}
    centre.dispatch(alarm_id, draft)
    wait_until(qloop, lambda: "waiting to send" in session.window.outbox_label.text(), 10,
               "the queued action to show in the status bar")
    local = qloop.run_until_complete(session.store.run(lambda s: s.get(Alarm, alarm_id).state))
    assert local == "dispatched"

    # Central comes back on the same address and database: the task arrives exactly once.
    port = stack.central_url.rsplit(":", 1)[1]
    revived = start_child("central", [
        sys.executable, "-m", "central", "--host", "127.0.0.1", "--port", port,
        "--db", f"sqlite:///{stack.workdir / 'central.db'}",
        "--media-dir", str(stack.workdir / "media")], "KITCHENWATCH_CENTRAL_URL")
    stack.children.append(revived)
    wait_until(qloop, lambda: session.window.outbox_label.text() == "", 40,
               "the outbox to drain after the server returned")
    token = post(f"{stack.central_url}/api/login",
                 {"username": "operator", "password": DEMO_PASSWORD})["token"]
    feed = get(f"{stack.central_url}/api/changes?since=0&limit=5000", token)["changes"]
    tasks = [c["payload"] for c in feed if c["entity"] == "task"]
    assert [t["id"] for t in tasks] == ["a" * 32]
    assert tasks[0]["alarm_id"] == alarm_id and tasks[0]["state"] == "dispatched"
    alarms = {c["id"]: c["payload"] for c in feed if c["entity"] == "alarm"}
    assert alarms[alarm_id]["state"] == "dispatched"
    qloop.run_until_complete(session.async_stop())
